import type { FakeSlackApi } from '../../dev/fakes/fake-slack-api.ts';

export interface SlackCallCounts {
  /** Per target, Web API method → calls made while that target was measured. */
  counts: Record<string, number>[];
  /** For loadInterleaved: reset the target's fake before its slice, count its calls after. */
  beforeSlice: (t: number) => void;
  afterSlice: (t: number) => void;
  /** One table cell per target, e.g. `auth.test x1000`, or `none`. */
  cells(): string[];
}

/** Counts the Slack Web API calls each target makes while measured; `fakeOf(t)` is the fake target `t` talks to. */
export function slackCallCounts(targets: number, fakeOf: (t: number) => FakeSlackApi | undefined): SlackCallCounts {
  const counts: Record<string, number>[] = Array.from({ length: targets }, () => ({}));
  return {
    counts,
    beforeSlice: (t) => fakeOf(t)?.reset(),
    afterSlice: (t) => {
      const target = counts[t];
      if (target === undefined) return;
      for (const call of fakeOf(t)?.calls ?? []) target[call.method] = (target[call.method] ?? 0) + 1;
    },
    cells: () =>
      counts.map(
        (target) =>
          Object.entries(target)
            .map(([method, n]) => `${method} x${n}`)
            .join(', ') || 'none',
      ),
  };
}
