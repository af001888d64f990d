/** Why a running job's signal was aborted: the worker is shutting down (the job is handed back at once). */
export const SHUTDOWN_REASON = 'ai4k8s: worker shutting down';
/** Why a running job's signal was aborted: its lock could not be renewed, so another worker may run it now. */
export const LOCK_LOST_REASON = 'ai4k8s: job lock lost';
