import { Observable, ResponseContext, type ObservableMiddleware, type RequestContext } from '@kubernetes/client-node';
import { callKube } from './call-kube.ts';
import type { KubeClient } from './create-kube-client.ts';

export interface GetJsonOptions {
  /** An API path: /api/v1/namespaces/shop/configmaps, /apis, /apis/batch/v1/... */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  /** e.g. metadata-only lists: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1 */
  accept?: string;
}

/**
 * GET any API path and return the parsed JSON. client-node has typed methods only per resource, and
 * the KubeClient exposes a few of its APIs; this rides on one of them (core getAPIResources) with its
 * URL replaced, so the call keeps the client's own configuration — credentials, timeout and any
 * per-caller middleware (impersonation) — rather than building a second, weaker one. Errors are
 * KubeErrors, as from callKube.
 */
export async function getJson<T = unknown>(kube: KubeClient, { path, query = {}, accept }: GetJsonOptions): Promise<T> {
  let body = '';
  const rewrite: ObservableMiddleware = {
    pre: (request: RequestContext) => {
      const url = new URL(request.getUrl());
      // The server URL may carry a path prefix (a proxy such as Rancher's): keep it, swap what follows.
      const prefix = url.pathname.replace(/\/api\/v1\/?$/, '');
      url.pathname = `${prefix}${path}`;
      url.search = '';
      for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
      request.setUrl(url.toString());
      if (accept !== undefined) request.setHeaderParam('Accept', accept);
      return new Observable(Promise.resolve(request));
    },
    post: (response: ResponseContext) =>
      new Observable(
        response.body.text().then((text) => {
          body = text;
          // The typed processor reads the body again (to build its error or its typed value): replay it.
          return new ResponseContext(response.httpStatusCode, response.headers, {
            text: () => Promise.resolve(text),
            binary: () => Promise.resolve(Buffer.from(text, 'utf8')),
          });
        }),
      ),
  };
  await callKube(kube, () => kube.core.getAPIResources({}, { middleware: [rewrite], middlewareMergeStrategy: 'append' }));
  return JSON.parse(body) as T;
}
