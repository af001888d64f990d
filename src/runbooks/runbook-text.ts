import type { MatchedRunbook } from './match-runbooks.ts';

/** The runbooks line of an alert's root message: a link per runbook with one, a name for guidance-only ones. */
export function runbookLinks(runbooks: readonly MatchedRunbook[]): string | undefined {
  if (runbooks.length === 0) return undefined;
  const shown = runbooks.map((runbook) =>
    runbook.url === undefined
      ? `**${plain(runbook.name)}** (given to the AI)`
      : `[${runbook.source === 'alert' ? 'Runbook (from the alert)' : plain(runbook.name)}](${runbook.url})`,
  );
  return `📘 Runbook${runbooks.length === 1 ? '' : 's'}: ${shown.join(' · ')}`;
}

/**
 * The operators' runbooks as the model reads them: labelled as trusted guidance from the policy file, apart from
 * any cluster data (which comes fenced as untrusted). Link-only runbooks are named with their link.
 */
export function runbookGuidance(runbooks: readonly MatchedRunbook[]): string | undefined {
  const policy = runbooks.filter((runbook) => runbook.source === 'policy');
  if (policy.length === 0) return undefined;
  const parts = policy.map((runbook) =>
    [
      `### Runbook: ${plain(runbook.name)}${runbook.url === undefined ? '' : ` (${runbook.url})`}`,
      runbook.markdown ?? '(link only: the text is not available to you)',
    ].join('\n'),
  );
  return [
    "OPERATOR RUNBOOK — trusted guidance written by this installation's operators in the ai4k8s policy file (not cluster data). Follow it where it applies to what you find, and say which step you are on.",
    ...parts,
    'END OF OPERATOR RUNBOOK',
  ].join('\n');
}

const plain = (text: string) => text.replace(/[[\]()*_`\n]/g, ' ').trim();
