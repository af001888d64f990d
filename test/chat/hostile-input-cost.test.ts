import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { measureHostileCost } from '../support/hostile-cost.ts';
import { hostileTextNames, MIB } from '../support/hostile-text.ts';
import type { HostileSubjectName } from '../support/hostile-subjects.ts';

/**
 * CPU time allowed per MiB of hostile input. Linear code spends 20–500 ms here (under tsx, on a shared
 * machine); the backtracking patterns this replaces spent seconds on kilobytes and hours on a MiB.
 */
export const MAX_CPU_MS_PER_MIB = 1_000;

const SUBJECTS: HostileSubjectName[] = [
  'markdownToMrkdwn',
  'markdownToTeams',
  'splitMessage (Slack size)',
  'splitMessage (16 chars)',
  'markdownView',
  'splitHeadline',
  'plainText',
  'shortenAnswer',
  'answerBlocks',
  'answerFallbackText',
];

describe('chat text converters on 1 MiB of hostile input', () => {
  for (const subject of SUBJECTS) {
    it(`${subject} finishes every input in well under a second`, async () => {
      const costs = await measureHostileCost({ subject, inputs: hostileTextNames, size: MIB });
      assert.equal(costs.length, hostileTextNames.length);
      const slow = costs.filter((cost) => cost.failure !== undefined || cost.cpuMsPerMiB > MAX_CPU_MS_PER_MIB);
      assert.deepEqual(
        slow.map((cost) => `${cost.input}: ${cost.failure ?? `${Math.round(cost.cpuMsPerMiB)} ms CPU per MiB`}`),
        [],
      );
    });
  }
});
