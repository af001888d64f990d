import type { V1Pod } from '@kubernetes/client-node';
import { podStatus } from '../../kube/pod-status.ts';
import type { Evidence } from '../evidence.ts';
import { quoteLine, timeOf } from '../kube-object.ts';
import {
  containersOf,
  decisiveLogLine,
  eventFact,
  eventsWith,
  lastTermination,
  logClause,
  podConditionFalse,
  podName,
  podRef,
  probeText,
  resourcesText,
  stateText,
  terminationText,
  type ContainerView,
} from './pod-view.ts';
import type { DiagnosisRule, Finding } from './rule.ts';

/** A container that crashed or keeps crashing: waiting in back-off, terminated non-zero, or restarted after a failure. */
function crashed(c: ContainerView): boolean {
  const s = c.status;
  if (s === undefined) return false;
  if (s.state?.waiting?.reason === 'CrashLoopBackOff' || s.state?.waiting?.reason === 'RunContainerError') return true;
  if (s.state?.terminated !== undefined) return s.state.terminated.exitCode !== 0;
  return s.restartCount > 0 && (s.lastState?.terminated?.exitCode ?? 0) !== 0;
}

function crashedContainers(ev: Evidence, { init }: { init: boolean }): { pod: V1Pod; c: ContainerView }[] {
  return ev.examined.flatMap((pod) =>
    containersOf(pod)
      .filter((c) => c.init === init && crashed(c))
      .map((c) => ({ pod, c })),
  );
}

/** "CrashLoopBackOff: container x exits 1 (Error), 7 restarts" — the opening every crash verdict shares. */
function crashOpening(c: ContainerView): string {
  const last = lastTermination(c);
  const state = c.status?.state;
  const reason = state?.waiting?.reason ?? (state?.running !== undefined ? 'Restarting' : (state?.terminated?.reason ?? 'Error'));
  const restarts = (c.status?.restartCount ?? 0) > 0 ? `, ${c.status?.restartCount ?? 0} restarts` : '';
  return `${reason}: container ${c.spec.name} exits ${last?.exitCode ?? '?'} (${last?.reason ?? 'Error'})${restarts}`;
}

function containerFact(c: ContainerView, ev: Evidence): string {
  const last = c.status?.lastState?.terminated;
  return `container ${c.spec.name}${c.init ? ' (init)' : ''} is ${stateText(c.status?.state)}${last ? `, last terminated ${terminationText(last, ev.now)}` : ''}, ${c.status?.restartCount ?? 0} restarts`;
}

function terminationMessageFact(c: ContainerView): string[] {
  const message = lastTermination(c)?.message;
  return message === undefined || message === '' ? [] : [`termination message: "${quoteLine(message, 500)}"`];
}

/** An init container that fails: the pod never gets to its app containers. */
export const initContainerFailing: DiagnosisRule = {
  id: 'init-container-failing',
  failureClass: 'Init container failing',
  needs: ['logs'],
  detect(ev) {
    return crashedContainers(ev, { init: true }).map(({ pod, c }) => ({
      rule: this.id,
      about: podRef(pod),
      cause: `Init container ${c.spec.name} exits ${lastTermination(c)?.exitCode ?? '?'} (${lastTermination(c)?.reason ?? 'Error'}), ${c.status?.restartCount ?? 0} restarts: pod ${podName(pod)} stays ${podStatus(pod)}${logClause(ev, pod, c.spec.name)}`,
      facts: [
        containerFact(c, ev),
        `command: ${[...(c.spec.command ?? []), ...(c.spec.args ?? [])].join(' ') || '(image default)'}`,
        ...terminationMessageFact(c),
      ],
      fix: `fix what init container ${c.spec.name} needs (its log says what failed); the app containers start once it exits 0`,
    }));
  },
};

/** The runtime cannot start the command: not in the image, not executable, bad entrypoint. */
export const crashBadCommand: DiagnosisRule = {
  id: 'crash-bad-command',
  failureClass: 'CrashLoopBackOff: bad command or entrypoint',
  needs: [],
  detect(ev) {
    return crashedContainers(ev, { init: false }).flatMap(({ pod, c }): Finding[] => {
      const last = lastTermination(c);
      const text = [
        last?.message ?? '',
        c.status?.state?.waiting?.message ?? '',
        ...eventsWith(ev, podRef(pod), ['Failed']).map((e) => e.message),
      ].join('\n');
      const startFailed =
        ['StartError', 'ContainerCannotRun', 'RunContainerError'].includes(last?.reason ?? '') ||
        last?.exitCode === 127 ||
        last?.exitCode === 126;
      const notFound =
        /exec: "([^"]+)": (executable file not found in \$PATH|stat [^:]+: no such file or directory|permission denied)/.exec(text);
      if (!startFailed && notFound === null) return [];
      const command = [...(c.spec.command ?? []), ...(c.spec.args ?? [])].join(' ') || "(the image's entrypoint)";
      const what =
        notFound !== null
          ? `the command "${notFound[1] ?? ''}" is not found in the image (${notFound[2] ?? ''})`
          : `its command fails to run (exit ${last?.exitCode ?? '?'}: ${last?.exitCode === 127 ? 'command not found' : last?.exitCode === 126 ? 'not executable' : (last?.reason ?? '')})`;
      return [
        {
          rule: this.id,
          about: podRef(pod),
          cause: `${c.status?.state?.waiting?.reason ?? 'Error'}: container ${c.spec.name} cannot start: ${what}`,
          facts: [
            `container ${c.spec.name} last terminated ${terminationText(last, ev.now)}, ${c.status?.restartCount ?? 0} restarts`,
            `command: ${command}`,
            ...terminationMessageFact(c),
          ],
          fix: "fix command/args in the pod template (or the image's entrypoint): the binary must exist in the image at that path",
        },
      ];
    });
  },
};

/** Killed by the kernel for exceeding the container's memory limit. */
export const oomKilled: DiagnosisRule = {
  id: 'oom-killed',
  failureClass: 'OOMKilled (memory limit)',
  needs: [],
  detect(ev) {
    return ev.examined.flatMap((pod) =>
      containersOf(pod).flatMap((c): Finding[] => {
        if (lastTermination(c)?.reason !== 'OOMKilled' && c.status?.lastState?.terminated?.reason !== 'OOMKilled') return [];
        const limit = c.spec.resources?.limits?.memory;
        const restarts = (c.status?.restartCount ?? 0) > 0 ? `, ${c.status?.restartCount ?? 0} restarts` : '';
        return [
          {
            rule: this.id,
            about: podRef(pod),
            cause:
              limit === undefined
                ? `OOMKilled: container ${c.spec.name} was killed by the kernel's OOM killer with no memory limit set (the node ran out of memory) (exit 137)${restarts}${logClause(ev, pod, c.spec.name)}`
                : `OOMKilled: container ${c.spec.name} is killed for exceeding its memory limit of ${limit} (exit 137)${restarts}${logClause(ev, pod, c.spec.name)}`,
            facts: [
              containerFact(c, ev),
              `resources: ${resourcesText(c.spec)}`,
              ...eventsWith(ev, podRef(pod), ['OOMKilling'])
                .slice(0, 1)
                .map((e) => eventFact(e, ev.now)),
            ],
            fix:
              limit === undefined
                ? 'set a memory request and limit that match what it uses'
                : `raise the memory limit above its peak use (and the request with it), or make it use less (heap size, caches)`,
          },
        ];
      }),
    );
  },
};

/** The kubelet kills a container whose liveness probe fails: usually a slow start or a probe too strict. */
export const livenessProbeFailing: DiagnosisRule = {
  id: 'liveness-probe-failing',
  failureClass: 'Liveness probe killing a slow or busy container',
  needs: ['events'],
  detect(ev) {
    return ev.examined.flatMap((pod) =>
      containersOf(pod).flatMap((c): Finding[] => {
        const probe = c.spec.livenessProbe;
        if (probe === undefined || c.init || (c.status?.restartCount ?? 0) === 0) return [];
        const kills = eventsWith(ev, podRef(pod), ['Killing'], new RegExp(`${c.spec.name}\\b.*failed liveness probe`));
        const failures = eventsWith(ev, podRef(pod), ['Unhealthy'], /^Liveness probe failed/);
        if (kills.length === 0 && failures.length === 0) return [];
        const last = c.status?.lastState?.terminated;
        const lived =
          last?.startedAt !== undefined && last.finishedAt !== undefined
            ? Math.round((timeOf(last.finishedAt) - timeOf(last.startedAt)) / 1000)
            : undefined;
        const budget = (probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3);
        const quoted = decisiveLogLine(ev, pod, c.spec.name);
        const startingUp = quoted !== undefined && !quoted.decisive;
        const failure = failures[0]?.message.replace(/^Liveness probe failed:\s*/, '');
        return [
          {
            rule: this.id,
            about: podRef(pod),
            cause: `its liveness probe restarts container ${c.spec.name} (${c.status?.restartCount ?? 0} restarts)${lived === undefined ? '' : ` after ~${lived}s of life`}${startingUp ? ' before it is ready: the app is still starting when killed' : ''}: ${probeText(probe).split(' (')[0] ?? ''} fails${failure === undefined ? '' : ` (${quoteLine(failure, 160)})`}; the probe allows ~${budget}s${quoted === undefined ? '' : `; ${quoted.previous ? 'previous ' : ''}log ${quoted.decisive ? '' : 'ends '}"${quoted.line}"`}`,
            facts: [
              `livenessProbe: ${probeText(probe)}`,
              containerFact(c, ev),
              ...kills.slice(0, 1).map((e) => eventFact(e, ev.now)),
              ...failures.slice(0, 1).map((e) => eventFact(e, ev.now)),
            ],
            fix: startingUp
              ? 'give it time to start: a startupProbe (e.g. periodSeconds 10, failureThreshold 30) or a larger initialDelaySeconds; more CPU shortens the start'
              : 'check why the endpoint stops answering (load, deadlock), or relax timeoutSeconds/failureThreshold',
          },
        ];
      }),
    );
  },
};

const ENV_PATTERNS = [
  /(?:environment variable|env(?:ironment)? var(?:iable)?|env)\s+["'`]?([A-Z][A-Z0-9_]{2,})["'`]?\s+(?:is\s+)?(?:not set|missing|required|undefined|empty|must be set)/i,
  /\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\s+(?:is\s+)?(?:not set|missing|required|undefined|must be set)/,
  /(?:missing|required|undefined)\s+(?:environment variable|env(?:ironment)? var(?:iable)?)\s*:?\s*["'`]?([A-Z][A-Z0-9_]{2,})/i,
  /KeyError: ["']([A-Z][A-Z0-9_]{2,})["']/,
];

/** The env a container gets: names set in the spec, and the keys of the ConfigMaps/Secrets it imports whole. */
function envOf(ev: Evidence, pod: V1Pod, c: ContainerView): { names: Set<string>; described: string; unsure: string[] } {
  const namespace = pod.metadata?.namespace ?? '';
  const names = new Set((c.spec.env ?? []).map((e) => e.name));
  const parts = [`env: ${[...names].join(', ') || 'none'}`];
  const unsure: string[] = [];
  for (const from of c.spec.envFrom ?? []) {
    const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
    const name = from.configMapRef?.name ?? from.secretRef?.name ?? '';
    const keys = ev.config({ kind, namespace, name })?.keys;
    if (keys === undefined) unsure.push(`${kind} ${name}`);
    for (const key of keys ?? []) names.add(`${from.prefix ?? ''}${key}`);
    parts.push(`envFrom ${kind} ${name}${keys === undefined ? ' (keys not readable)' : ` (keys ${keys.join(', ') || 'none'})`}`);
  }
  return { names, described: parts.join('; '), unsure };
}

/** The app exits because an environment variable it requires is not set, and the spec indeed does not set it. */
export const crashMissingEnv: DiagnosisRule = {
  id: 'crash-missing-env',
  failureClass: 'CrashLoopBackOff: missing environment variable',
  needs: ['logs', 'configmaps', 'secrets'],
  detect(ev) {
    return crashedContainers(ev, { init: false }).flatMap(({ pod, c }): Finding[] => {
      const quoted = decisiveLogLine(ev, pod, c.spec.name);
      const text = `${quoted?.line ?? ''}\n${lastTermination(c)?.message ?? ''}`;
      const variable = ENV_PATTERNS.map((p) => p.exec(text)?.[1]).find((v) => v !== undefined);
      if (variable === undefined) return [];
      const env = envOf(ev, pod, c);
      if (env.names.has(variable)) return [];
      return [
        {
          rule: this.id,
          about: podRef(pod),
          cause: `${crashOpening(c)} because environment variable ${variable} is not set: the pod spec does not define it${env.unsure.length > 0 ? ` (unless ${env.unsure.join(', ')} holds it)` : ''}${logClause(ev, pod, c.spec.name)}`,
          facts: [containerFact(c, ev), `container ${c.spec.name} ${env.described}`, ...terminationMessageFact(c)],
          fix: `set ${variable} in the container's env (from a Secret if it is a credential), then the rollout restarts the pods`,
        },
      ];
    });
  },
};

/** The app itself exits with an error: the log's decisive line says why. */
export const crashAppError: DiagnosisRule = {
  id: 'crash-app-error',
  failureClass: 'CrashLoopBackOff: application error',
  needs: ['logs'],
  detect(ev) {
    return crashedContainers(ev, { init: false }).map(({ pod, c }) => ({
      rule: this.id,
      about: podRef(pod),
      cause: `${crashOpening(c)}${logClause(ev, pod, c.spec.name)}`,
      facts: [
        `pod ${podName(pod)} is ${podStatus(pod)}`,
        containerFact(c, ev),
        ...terminationMessageFact(c),
        ...eventsWith(ev, podRef(pod), ['BackOff'])
          .slice(0, 1)
          .map((e) => eventFact(e, ev.now)),
      ],
      fix: 'fix what the log names (configuration, a dependency, a bug); the container restarts with back-off until it stays up',
    }));
  },
};

/** Running but never ready: the readiness probe fails, so the pod gets no traffic. */
export const readinessProbeFailing: DiagnosisRule = {
  id: 'readiness-probe-failing',
  failureClass: 'Readiness probe failing',
  needs: ['events'],
  detect(ev) {
    return ev.examined.flatMap((pod) =>
      containersOf(pod).flatMap((c): Finding[] => {
        const probe = c.spec.readinessProbe;
        if (probe === undefined || c.init || c.status?.state?.running === undefined || c.status.ready) return [];
        const failures = eventsWith(ev, podRef(pod), ['Unhealthy'], /^Readiness probe failed/);
        const failure = failures[0]?.message.replace(/^Readiness probe failed:\s*/, '');
        return [
          {
            rule: this.id,
            about: podRef(pod),
            cause: `NotReady: container ${c.spec.name} of pod ${podName(pod)} is running but fails its readiness probe ${probeText(probe).split(' (')[0] ?? ''}${failure === undefined ? '' : ` (${quoteLine(failure, 160)})`}, so it receives no traffic${logClause(ev, pod, c.spec.name)}`,
            facts: [`readinessProbe: ${probeText(probe)}`, containerFact(c, ev), ...failures.slice(0, 1).map((e) => eventFact(e, ev.now))],
            fix: "fix what makes the ready endpoint fail (its log says which dependency), or correct the probe's path/port",
          },
        ];
      }),
    );
  },
};

/** A container waiting for a reason no rule above knows. */
export const containerWaiting: DiagnosisRule = {
  id: 'container-waiting',
  failureClass: 'Container waiting (other reasons)',
  needs: [],
  fallback: true,
  detect(ev) {
    return ev.examined.flatMap((pod) =>
      containersOf(pod).flatMap((c): Finding[] => {
        const waiting = c.status?.state?.waiting;
        if (waiting?.reason === undefined || waiting.reason === 'PodInitializing') return [];
        return [
          {
            rule: this.id,
            about: podRef(pod),
            cause: `${waiting.reason}: container ${c.spec.name} of pod ${podName(pod)} is waiting${waiting.message ? `: ${quoteLine(waiting.message, 300)}` : ''}`,
            facts: [
              containerFact(c, ev),
              ...ev
                .eventsOf(podRef(pod))
                .filter((e) => e.type === 'Warning')
                .slice(0, 2)
                .map((e) => eventFact(e, ev.now)),
            ],
          },
        ];
      }),
    );
  },
};

/** A pod that is not Ready for a reason no rule above knows: its condition's words. */
export const podNotReady: DiagnosisRule = {
  id: 'pod-not-ready',
  failureClass: 'Pod not ready (other reasons)',
  needs: [],
  fallback: true,
  detect(ev) {
    return ev.examined.flatMap((pod): Finding[] => {
      const ready = podConditionFalse(pod, 'Ready');
      const status = podStatus(pod);
      if (ready === undefined || ['Completed', 'Succeeded'].includes(status)) return [];
      return [
        {
          rule: this.id,
          about: podRef(pod),
          cause: `${status}: pod ${podName(pod)} is not Ready${ready.reason ? ` (${ready.reason})` : ''}${ready.message ? `: ${quoteLine(ready.message, 200)}` : ''}${pod.status?.message ? `; ${quoteLine(pod.status.message, 200)}` : ''}`,
          facts: [
            ...containersOf(pod).map((c) => containerFact(c, ev)),
            ...ev
              .eventsOf(podRef(pod))
              .filter((e) => e.type === 'Warning')
              .slice(0, 2)
              .map((e) => eventFact(e, ev.now)),
          ],
        },
      ];
    });
  },
};

export const containerRules: DiagnosisRule[] = [
  initContainerFailing,
  crashBadCommand,
  oomKilled,
  livenessProbeFailing,
  crashMissingEnv,
  crashAppError,
  readinessProbeFailing,
];
