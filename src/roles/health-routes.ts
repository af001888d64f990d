import { sendJson, type Routes } from '../http/start-http-server.ts';

/** Not ready, with a reason an operator can act on (shown in the /readyz body). */
export interface NotReady {
  ready: false;
  reason: string;
}

export interface HealthRoutesOptions {
  role: string;
  /** Resolves true (or false, or why not) when the role can do its work (e.g. Redis answers); /readyz reports it. */
  ready?: () => Promise<boolean | NotReady>;
}

/** GET /healthz (the process is up) and GET /readyz (its dependencies answer). */
export function healthRoutes({ role, ready }: HealthRoutesOptions): Routes {
  return {
    'GET /healthz': (_req, res) => sendJson(res, 200, { status: 'ok', role }),
    'GET /readyz': async (_req, res) => {
      const answer =
        ready === undefined ? true : await ready().catch((): NotReady => ({ ready: false, reason: 'the readiness check failed' }));
      if (answer === true) sendJson(res, 200, { status: 'ready', role });
      else sendJson(res, 503, { status: 'not_ready', role, ...(answer === false ? {} : { reason: answer.reason }) });
    },
  };
}
