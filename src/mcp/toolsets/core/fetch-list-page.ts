import { callKube } from '../../../kube/call-kube.ts';
import type { KubeClient } from '../../../kube/create-kube-client.ts';
import { pageOf, type ListPage } from '../../list-page-within-budget.ts';
import { listQuery, type ListArguments } from './list-arguments.ts';

type Query = ReturnType<typeof listQuery>;
type KubeList<Item> = { items: Item[]; metadata?: { _continue?: string; remainingItemCount?: number } };

export interface FetchListPageOptions<Item> {
  kube: KubeClient;
  args: ListArguments;
  /** The all-namespaces list call, e.g. `(q) => kube.core.listPodForAllNamespaces(q)`. */
  all: (query: Query) => Promise<KubeList<Item>>;
  /** The one-namespace list call, e.g. `(q) => kube.core.listNamespacedPod(q)`. */
  namespaced: (query: Query & { namespace: string }) => Promise<KubeList<Item>>;
}

/**
 * The `fetch` of listPageWithinBudget for a namespaced kind: one page of at most `limit` items from one
 * namespace or all, with the caller's selectors and continue token.
 */
export function fetchListPage<Item>({
  kube,
  args,
  all,
  namespaced,
}: FetchListPageOptions<Item>): (limit: number) => Promise<ListPage<Item>> {
  const namespace = args.namespace;
  return async (limit) => {
    const query = { ...listQuery(args), limit };
    return pageOf(await callKube(kube, () => (namespace === undefined ? all(query) : namespaced({ namespace, ...query }))));
  };
}
