import { readUntrustedFences } from '../../src/contract/fence-untrusted.ts';

/** A diagnose result's verdict: the first line of its first fence (the verdict quotes cluster text, so it is fenced). */
export function diagnosisVerdict(text: string): string {
  return (readUntrustedFences(text)[0] ?? '').split('\n')[0] ?? '';
}
