// test-lane: service (timed pathological inputs at 1 MiB: minutes of CPU on a busy machine, no service)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_CPU_MS_PER_MIB, measureHostileCost } from '../../dev/support/hostile-cost.ts';
import { hostileTextNames, MIB } from '../../dev/support/hostile-text.ts';
import type { HostileSubjectName } from '../../dev/support/hostile-subjects.ts';

const SUBJECTS: HostileSubjectName[] = [
  'alert root (Slack)',
  'alert root (Teams)',
  'alert thread line',
  'alert context turn',
  'investigation question',
];

describe('alert texts from a 1 MiB hostile webhook (name, summary, description and a label)', () => {
  for (const subject of SUBJECTS) {
    it(`${subject} is built in well under a second, without throwing`, async () => {
      const costs = await measureHostileCost({ subject, inputs: hostileTextNames, size: MIB });
      const slow = costs.filter((cost) => cost.failure !== undefined || cost.cpuMsPerMiB > MAX_CPU_MS_PER_MIB);
      assert.deepEqual(
        slow.map((cost) => `${cost.input}: ${cost.failure ?? `${Math.round(cost.cpuMsPerMiB)} ms CPU per MiB`}`),
        [],
      );
    });
  }
});
