const SUFFIX: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity ("250m", "16", "512Mi", "15242916Ki", "1e3") as a number; NaN when it is not one. */
export function parseQuantity(quantity: string | number | undefined): number {
  if (quantity === undefined) return Number.NaN;
  if (typeof quantity === 'number') return quantity;
  const match = /^([+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|[numkKMGTPE])?$/.exec(quantity.trim());
  if (match === null) return Number.NaN;
  return Number(match[1]) * (SUFFIX[match[2] ?? ''] ?? 1);
}
