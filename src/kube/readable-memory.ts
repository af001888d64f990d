const BINARY_UNITS: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** "15242916Ki" → "14.5Gi": a model compares Gi at a glance, not kibibyte counts. */
export function readableMemory(quantity: string): string {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)?$/.exec(quantity);
  if (match === null) return quantity;
  const bytes = Number(match[1]) * (BINARY_UNITS[match[2] ?? ''] ?? 1);
  if (bytes < 2 ** 30) return quantity;
  return `${(bytes / 2 ** 30).toFixed(1).replace(/\.0$/, '')}Gi`;
}
