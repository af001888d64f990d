import type { Config } from '../config/schema.ts';
import type { Role } from '../config/load-config.ts';
import type { Logger } from '../log/create-logger.ts';
import { startGateway } from './start-gateway.ts';
import { startMcp } from './start-mcp.ts';
import type { RunningRole } from './running-role.ts';
import { startWorker } from './start-worker.ts';

export interface StartRoleOptions {
  role: Role;
  config: Config;
  logger: Logger;
}

/** Starts one role, or all three in one process (MCP first, so the worker can reach it). */
export async function startRole({ role, config, logger }: StartRoleOptions): Promise<RunningRole> {
  switch (role) {
    case 'gateway':
      return startGateway({ config, logger });
    case 'worker':
      return startWorker({ config, logger });
    case 'mcp':
      return startMcp({ config, logger });
    case 'all': {
      const mcp = await startMcp({ config, logger: logger.child({ component: 'mcp' }) });
      const mcpUrl = config.MCP_URL ?? `${mcp.urls.http}/mcp`;
      const worker = await startWorker({ config: { ...config, MCP_URL: mcpUrl }, logger: logger.child({ component: 'worker' }) });
      const gateway = await startGateway({ config, logger: logger.child({ component: 'gateway' }) });
      return {
        role: 'all',
        urls: { gateway: gateway.urls.http ?? '', mcp: mcp.urls.http ?? '', worker: worker.urls.http ?? '' },
        stop: async () => {
          await gateway.stop();
          await worker.stop();
          await mcp.stop();
        },
      };
    }
  }
}
