import type { RedisClient } from '../queue/create-redis.ts';
import type { Toolbox } from '../contract/toolbox.ts';
import { approvalStore } from '../approval/approval-store.ts';
import { slackWorkspaceUrl, type SlackWorkspace } from '../chat/slack-workspace-url.ts';
import type { Config } from '../config/schema.ts';
import type { Logger } from '../log/create-logger.ts';
import type { ConversationStore } from '../memory/conversation-store.ts';
import type { PolicyFile } from '../policy/policy-schema.ts';
import type { ChatJob } from '../queue/chat-job.ts';
import { incidentRecorder, type IncidentRecorder } from './incident-recorder.ts';
import { incidentStore } from './incident-store.ts';
import { withIncidentSearch } from './incidents-search-tool.ts';

export interface IncidentMemoryForChat {
  /** The job's toolbox with incidents_search added (wrap it inside the channel policy and the audit). */
  withTools: (toolbox: Toolbox, job: ChatJob) => Toolbox;
  recorder: IncidentRecorder;
}

/** The chat worker's side of incident memory: the incidents_search tool and the recorder of findings and fixes. */
export function incidentMemoryForChat({
  config,
  redis,
  prefix,
  policy,
  memory,
  slackWorkspace,
  logger,
}: {
  config: Config;
  redis: RedisClient;
  prefix: string;
  policy: PolicyFile | undefined;
  memory: ConversationStore;
  slackWorkspace: () => Promise<SlackWorkspace>;
  logger: Logger;
}): IncidentMemoryForChat {
  const incidents = incidentStore({ redis, prefix, ttlSeconds: config.INCIDENTS_TTL_SECONDS });
  return {
    withTools: (toolbox, job) => withIncidentSearch({ toolbox, incidents, job, policy }),
    recorder: incidentRecorder({
      incidents,
      approvals: approvalStore(redis, prefix),
      memory,
      policy,
      slackWorkspaceUrl: slackWorkspaceUrl(slackWorkspace),
      logger,
    }),
  };
}
