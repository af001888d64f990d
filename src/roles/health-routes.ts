import { sendJson, type Routes } from '../http/start-http-server.ts';

export interface HealthRoutesOptions {
  role: string;
  /** Resolves true when the role can do its work (e.g. Redis answers); /readyz reports it. */
  ready?: () => Promise<boolean>;
}

/** GET /healthz (the process is up) and GET /readyz (its dependencies answer). */
export function healthRoutes({ role, ready }: HealthRoutesOptions): Routes {
  return {
    'GET /healthz': (_req, res) => sendJson(res, 200, { status: 'ok', role }),
    'GET /readyz': async (_req, res) => {
      const ok = ready === undefined ? true : await ready().catch(() => false);
      sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'not_ready', role });
    },
  };
}
