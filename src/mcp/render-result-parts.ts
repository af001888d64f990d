import { fenceUntrusted } from './fence-untrusted.ts';
import { isUntrusted } from './result-parts.ts';
import type { ResultPart } from './tool-definition.ts';

/**
 * The text the model reads: own parts as they are, each run of adjacent untrusted parts in one fence (one label
 * naming every source, so a result pays for one fence, not one per table), parts joined by line breaks.
 */
export function renderResultParts(parts: readonly ResultPart[]): string {
  const blocks: string[] = [];
  let sources: string[] = [];
  let data: string[] = [];
  const flush = (): void => {
    if (data.length > 0) blocks.push(fenceUntrusted({ source: [...new Set(sources)].join('; '), text: data.join('\n') }));
    sources = [];
    data = [];
  };
  for (const part of parts) {
    if (isUntrusted(part)) {
      if (part.untrusted === '') continue;
      sources.push(part.source);
      data.push(part.untrusted);
    } else {
      flush();
      blocks.push(part.own);
    }
  }
  flush();
  return blocks.join('\n');
}
