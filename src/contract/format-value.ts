/**
 * A number as a graph axis shows it: 4 significant digits, SI suffix for large values. The MCP server's tables and the
 * worker's chart axes show the same value the same way.
 */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  const abs = Math.abs(value);
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) if (abs >= size) return `${trim(value / size)}${suffix}`;
  return trim(value);
}

const trim = (value: number): string => (Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4))));
