import type { KubeClient } from '../../kube/create-kube-client.ts';
import { KubeError, KubeNotFoundError } from '../../kube/errors.ts';
import { getJson } from '../../kube/get-json.ts';
import { BUILT_IN_KINDS, builtInPath } from '../api-kinds.ts';
import type { Evidence, ListName } from '../evidence.ts';
import { refKey, type KubeObject, type ObjectRef } from '../kube-object.ts';

const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';

export interface ListOptions {
  namespace?: string | undefined;
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  limit?: number;
  /** Names and labels only: enough to say what exists (and, for Secrets, without reading a value). */
  metadataOnly?: boolean;
  /** Keep the result under this name in the evidence. */
  as?: ListName;
}

/**
 * The walk's only way to the API. Every read is recorded in the evidence: found, missing (404), or
 * unreadable (forbidden, denied by policy, failed), and a refused kind becomes a gap that the rules
 * needing it report as not checked. Only a bug throws; the subject itself is read with `readSubject`,
 * whose failure is the tool's answer.
 */
export class GraphReader {
  readonly kube: KubeClient;
  readonly ev: Evidence;
  private readonly deniesKind: ((kind: string) => boolean) | undefined;
  private readonly involved = new Map<string, ObjectRef>();

  constructor({ kube, ev, deniesKind }: { kube: KubeClient; ev: Evidence; deniesKind?: ((kind: string) => boolean) | undefined }) {
    this.kube = kube;
    this.ev = ev;
    this.deniesKind = deniesKind;
  }

  /** Marks an object whose events the diagnosis reads. */
  involve(ref: ObjectRef): void {
    this.involved.set(refKey(ref), ref);
  }

  involvedRefs(): ObjectRef[] {
    return [...this.involved.values()];
  }

  /** Reads a built-in object; undefined when it is missing or cannot be read (both recorded). */
  async read<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    { metadataOnly = false }: { metadataOnly?: boolean } = {},
  ): Promise<T | undefined> {
    const known = this.ev.get<T>(ref);
    if (known !== undefined) return known;
    if (this.ev.lookup(ref) !== 'unchecked') return undefined;
    if (this.denied(ref.kind)) {
      this.ev.markUnreadable(ref, 'denied by the MCP server policy');
      return undefined;
    }
    try {
      const object = await getJson<T>(this.kube, { path: builtInPath(ref.kind, ref), ...(metadataOnly ? { accept: METADATA_ONLY } : {}) });
      this.ev.add(ref.kind === 'Secret' ? secretStub(object) : object, ref.kind);
      return object;
    } catch (error) {
      this.recordFailure(ref, error);
      return undefined;
    }
  }

  /** Reads any object by its URL path (a custom resource); failures as `read`. */
  async readPath<T extends KubeObject = KubeObject>(ref: ObjectRef, path: string): Promise<T | undefined> {
    try {
      const object = await getJson<T>(this.kube, { path });
      this.ev.add(object, ref.kind);
      return object;
    } catch (error) {
      this.recordFailure(ref, error);
      return undefined;
    }
  }

  /** Lists a built-in kind; undefined (and a gap) when it cannot be listed. */
  async list<T extends KubeObject = KubeObject>(
    kind: string,
    { namespace, labelSelector, fieldSelector, limit = 500, metadataOnly = false, as }: ListOptions = {},
  ): Promise<T[] | undefined> {
    const evidence = BUILT_IN_KINDS[kind]?.evidence ?? 'workloads';
    if (this.denied(kind)) {
      this.ev.gaps.set(evidence, `${kind} is denied by the MCP server policy`);
      return undefined;
    }
    try {
      const list = await getJson<{ items?: T[] }>(this.kube, {
        path: builtInPath(kind, { namespace }),
        query: { labelSelector: labelSelector || undefined, fieldSelector, limit },
        ...(metadataOnly ? { accept: METADATA_LIST } : {}),
      });
      const items = (list.items ?? []).map((item) => ({ ...item, kind }));
      if (!metadataOnly) for (const item of items) this.ev.add(item, kind);
      if (as !== undefined) this.ev.setList(as, items);
      return items;
    } catch (error) {
      if (!(error instanceof KubeError)) throw error;
      this.ev.gaps.set(evidence, `cannot list ${kind}${namespace === undefined ? '' : ` in ${namespace}`}: ${firstLine(error.message)}`);
      return undefined;
    }
  }

  /** GET a discovery path: is that API group/version served? */
  async served(path: string): Promise<boolean | undefined> {
    try {
      await getJson(this.kube, { path });
      return true;
    } catch (error) {
      if (error instanceof KubeNotFoundError) return false;
      if (error instanceof KubeError) return /503|Service Unavailable|not available/i.test(error.message) ? false : undefined;
      throw error;
    }
  }

  private denied(kind: string): boolean {
    return this.deniesKind?.(kind) === true;
  }

  private recordFailure(ref: ObjectRef, error: unknown): void {
    if (error instanceof KubeNotFoundError) {
      this.ev.markMissing(ref);
      return;
    }
    if (!(error instanceof KubeError)) throw error;
    this.ev.markUnreadable(ref, `${error.code}: ${firstLine(error.message)}`);
    const evidence = BUILT_IN_KINDS[ref.kind]?.evidence;
    if (evidence !== undefined && error.code === 'kube_forbidden')
      this.ev.gaps.set(evidence, `cannot read ${ref.kind}: ${firstLine(error.message)}`);
  }
}

/**
 * What the evidence keeps of a Secret: its name and labels. Not its data, and not its annotations
 * either (kubectl apply copies the whole Secret, values included, into one).
 */
function secretStub(object: KubeObject): KubeObject {
  const { name, namespace, uid, labels } = object.metadata ?? {};
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, uid, labels } };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').slice(0, 200);
}
