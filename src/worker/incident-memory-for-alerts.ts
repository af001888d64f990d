import type { RedisClient } from '../queue/create-redis.ts';
import { INVESTIGATOR_USER } from '../alerts/investigation-job.ts';
import { auditedToolbox } from '../audit/audited-toolbox.ts';
import { slackWorkspaceUrl } from '../chat/slack-workspace-url.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/create-logger.ts';
import { conversationStore } from '../memory/conversation-store.ts';
import { channelPolicyFor } from '../policy/channel-policy.ts';
import { channelPolicyToolbox } from '../policy/channel-policy-toolbox.ts';
import { CHAT_USER } from '../policy/policy-schema.ts';
import type { WorkerServices } from './worker-services.ts';
import { alertThreadHooks, type AlertThreadHooks } from '../alerts/alert-thread-hooks.ts';
import { incidentStore } from '../incidents/incident-store.ts';

export interface IncidentMemoryForAlertsOptions {
  config: Config;
  redis: RedisClient;
  services: WorkerServices;
  logger: Logger;
}

/**
 * The alert worker's incident memory, timeline and runbooks, from the configuration (the policy file read and checked by
 * loadConfig). The timeline's changes_list call acts as the investigator (`<platform>:<team>:alertmanager`), within the
 * destination channel's policy, and is audited like any tool call.
 */
export function incidentMemoryForAlerts({ config, redis, services, logger }: IncidentMemoryForAlertsOptions): AlertThreadHooks {
  const { policy } = config;
  const { prefix } = services;
  return alertThreadHooks({
    incidents: incidentStore({ redis, prefix, ttlSeconds: config.INCIDENTS_TTL_SECONDS }),
    memory: conversationStore({
      redis,
      prefix,
      ttlSeconds: config.CONVERSATION_TTL_SECONDS,
      tokenBudget: config.CONVERSATION_TOKEN_BUDGET,
    }),
    policy,
    runbooks: policy?.runbooks ?? [],
    connectToolbox: async (target, jobId) => {
      const chatUser = `${target.platform}:${target.teamId}:${INVESTIGATOR_USER.id}`;
      const toolbox = await services.toolboxes.acquire(CHAT_USER.test(chatUser) ? chatUser : undefined);
      return auditedToolbox({
        toolbox: channelPolicyToolbox({ toolbox, policy: channelPolicyFor(policy, target) }),
        audit: services.audit,
        context: {
          platform: target.platform,
          channel: target.channel,
          user: INVESTIGATOR_USER.id,
          jobId,
          cluster: await services.cluster.name(),
        },
      });
    },
    lookbackMinutes: config.ALERT_TIMELINE_MINUTES,
    slackWorkspaceUrl: slackWorkspaceUrl(services.slackWorkspace),
    logger,
  });
}
