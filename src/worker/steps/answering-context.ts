import type { AuditContext } from '../../contract/audit-event.ts';
import type { JobContext } from './job-context.ts';
import { startProgress, type JobProgress } from './progress.ts';
import type { JobThread } from './thread.ts';

/** A job past its preflight: it has a progress message, and its audit events name the cluster. */
export interface AnsweringContext extends JobContext, JobThread {
  progress: JobProgress;
  cluster: string;
  auditContext: AuditContext;
}

/** Posts the progress message and learns the cluster's name: what answering, delivering and recording need. */
export async function openAnswering(ctx: JobContext & JobThread): Promise<AnsweringContext> {
  const progress = await startProgress(ctx);
  const { deps, data, jobId } = ctx;
  const cluster = typeof deps.cluster === 'string' ? deps.cluster : await deps.cluster.name();
  const auditContext: AuditContext = { platform: data.platform, channel: data.replyTarget.channel, user: data.user.id, jobId, cluster };
  return { ...ctx, progress, cluster, auditContext };
}
