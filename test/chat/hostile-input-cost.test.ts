// test-lane: service (timed pathological inputs at 1 MiB: minutes of CPU on a busy machine, no service)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_CPU_MS_PER_MIB, measureHostileCost } from '../../dev/support/hostile-cost.ts';
import { hostileTextNames, MIB } from '../../dev/support/hostile-text.ts';
import type { HostileSubjectName } from '../../dev/support/hostile-subjects.ts';

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
  'approval card (Slack)',
  'approval card (Teams)',
  'Slack last check (withoutBroadcasts)',
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
