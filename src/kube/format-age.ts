/** Age as kubectl prints it: 45s, 12m, 5h, 3d, 2y; "" when the time is unknown. */
export function formatAge(since: Date | string | undefined, now: Date = new Date()): string {
  if (since === undefined) return '';
  const start = since instanceof Date ? since : new Date(since);
  const seconds = Math.max(0, Math.floor((now.getTime() - start.getTime()) / 1000));
  if (Number.isNaN(seconds)) return '';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / 24);
  if (days < 730) return `${days}d`;
  return `${Math.floor(days / 365)}y`;
}
