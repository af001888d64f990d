import type { V1PersistentVolume, V1PersistentVolumeClaim, V1Pod, V1StorageClass } from '@kubernetes/client-node';
import type { Evidence } from '../evidence.ts';
import { refLabel, type ObjectRef } from '../kube-object.ts';
import { parseQuantity } from '../quantity.ts';
import { eventFact, eventsWith, podName, podRef } from './pod-view.ts';
import type { DiagnosisRule, Finding } from './rule.ts';
import { schedulerMessage } from './scheduling-rules.ts';

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

interface PendingClaim {
  claim: V1PersistentVolumeClaim;
  ref: ObjectRef;
  /** What the finding is about: the claim when it is the subject, else the pod waiting for it. */
  about: ObjectRef;
  pod?: V1Pod;
}

/** Unbound claims: the subject claim, or the claims of examined pods. */
function pendingClaims(ev: Evidence): PendingClaim[] {
  const out: PendingClaim[] = [];
  if (ev.subject.kind === 'PersistentVolumeClaim') {
    const claim = ev.get<V1PersistentVolumeClaim>(ev.subject);
    if (claim?.status?.phase === 'Pending') out.push({ claim, ref: ev.subject, about: ev.subject });
    return out;
  }
  for (const pod of ev.examined) {
    const namespace = pod.metadata?.namespace ?? '';
    for (const volume of pod.spec?.volumes ?? []) {
      const name = volume.persistentVolumeClaim?.claimName;
      if (name === undefined) continue;
      const ref = { kind: 'PersistentVolumeClaim', namespace, name };
      const claim = ev.get<V1PersistentVolumeClaim>(ref);
      if (claim?.status?.phase === 'Pending') out.push({ claim, ref, about: podRef(pod), pod });
    }
  }
  return out;
}

function claimText(claim: V1PersistentVolumeClaim): string {
  const cls = claim.spec?.storageClassName;
  return `requests ${claim.spec?.resources?.requests?.storage ?? '?'} ${(claim.spec?.accessModes ?? []).join(',')}, storageClassName ${cls === undefined ? '(unset)' : cls === '' ? '"" (none)' : cls}`;
}

function waiting(p: PendingClaim): string {
  return p.pod === undefined
    ? `${refLabel(p.ref)} is unbound (Pending)`
    : `pod ${podName(p.pod)} cannot start: its ${refLabel(p.ref)} is unbound (Pending)`;
}

function claimFacts(ev: Evidence, p: PendingClaim): string[] {
  const message = p.pod === undefined ? undefined : schedulerMessage(p.pod);
  return [
    `${refLabel(p.ref)} is Pending, ${claimText(p.claim)}`,
    ...eventsWith(ev, p.ref, ['ProvisioningFailed', 'FailedBinding', 'ExternalProvisioning', 'WaitForFirstConsumer'])
      .slice(0, 2)
      .map((e) => eventFact(e, ev.now)),
    ...(message === undefined ? [] : [`scheduler: "${message}"`]),
  ];
}

function classesText(ev: Evidence): string | undefined {
  const classes = ev.listed<V1StorageClass>('storageClasses');
  if (classes === undefined) return undefined;
  if (classes.length === 0) return 'the cluster has no StorageClass';
  return `StorageClasses in the cluster: ${classes.map((c) => `${c.metadata?.name ?? ''} (${c.provisioner}${c.metadata?.annotations?.[DEFAULT_CLASS] === 'true' ? ', default' : ''})`).join(', ')}`;
}

/** The claim names a StorageClass that does not exist: nothing will ever provision it. */
export const pvcStorageClassMissing: DiagnosisRule = {
  id: 'pvc-storageclass-missing',
  failureClass: 'Pending: PersistentVolumeClaim unbound, StorageClass missing',
  needs: ['storage'],
  detect(ev) {
    return pendingClaims(ev).flatMap((p): Finding[] => {
      const className = p.claim.spec?.storageClassName;
      if (className === undefined || className === '' || ev.lookup({ kind: 'StorageClass', name: className }) !== 'missing') return [];
      const classes = classesText(ev);
      return [
        {
          rule: this.id,
          about: p.about,
          cause: `${waiting(p)} because StorageClass ${className} does not exist`,
          facts: [...claimFacts(ev, p), ...(classes === undefined ? [] : [classes])],
          fix: `use an existing StorageClass in the claim (for a StatefulSet, in volumeClaimTemplates; the claim itself must be recreated), or create ${className}`,
        },
      ];
    });
  },
};

/** A claim without a class waits for a PersistentVolume, and none that is available fits it. */
export const pvcNoMatchingPv: DiagnosisRule = {
  id: 'pvc-no-matching-pv',
  failureClass: 'Pending: PersistentVolumeClaim unbound, no matching PersistentVolume',
  needs: ['storage'],
  detect(ev) {
    const volumes = ev.listed<V1PersistentVolume>('persistentVolumes');
    if (volumes === undefined) return [];
    const classes = ev.listed<V1StorageClass>('storageClasses') ?? [];
    return pendingClaims(ev).flatMap((p): Finding[] => {
      const className = p.claim.spec?.storageClassName;
      const defaultClass = classes.find((c) => c.metadata?.annotations?.[DEFAULT_CLASS] === 'true');
      if (className !== '' && !(className === undefined && defaultClass === undefined)) return [];
      const size = parseQuantity(p.claim.spec?.resources?.requests?.storage);
      const modes = p.claim.spec?.accessModes ?? [];
      const available = volumes.filter((v) => v.status?.phase === 'Available' && (v.spec?.storageClassName ?? '') === '');
      const misfits = available.map((v) => {
        const why: string[] = [];
        if (parseQuantity(v.spec?.capacity?.storage) < size) why.push('too small');
        const lacking = modes.filter((m) => !(v.spec?.accessModes ?? []).includes(m));
        if (lacking.length > 0) why.push(`lacks ${lacking.join(',')}`);
        return { v, why };
      });
      if (misfits.some((m) => m.why.length === 0)) return [];
      const described = misfits.map(
        ({ v, why }) =>
          `${v.metadata?.name ?? ''} ${v.spec?.capacity?.storage ?? '?'} ${(v.spec?.accessModes ?? []).join(',')} (${why.join(', ')})`,
      );
      return [
        {
          rule: this.id,
          about: p.about,
          cause: `${waiting(p)}: no PersistentVolume matches it (${claimText(p.claim)}) and no StorageClass is set to provision one`,
          facts: [
            ...claimFacts(ev, p),
            available.length === 0
              ? 'no PersistentVolume without a class is Available'
              : `Available PersistentVolumes without a class: ${described.join('; ')}`,
          ],
          fix: 'create a PersistentVolume that fits the claim (size, access modes), or give the claim a StorageClass that provisions volumes',
        },
      ];
    });
  },
};

export const storageRules: DiagnosisRule[] = [pvcStorageClassMissing, pvcNoMatchingPv];
