import { redactionMarker } from './redaction-marker.ts';

const MENTIONS_SECRET = /\bkind["']?\s*[:=]\s*["']?Secret\b/;
const YAML_DATA_KEY = /^([ \t]*)(?:-[ \t]+)?["']?(?:data|stringData)["']?[ \t]*:[ \t]*(\{.*\})?[ \t]*$/;
const JSON_DATA_KEY = /"(?:data|stringData)"\s*:\s*\{/g;
const SECRET_DATA = redactionMarker('secret data');

/**
 * A Secret rendered as YAML or JSON text: the values under `data` and `stringData` are replaced, the
 * keys kept (they say what the Secret holds). Applies to every data block of a text that mentions
 * `kind: Secret`, erring towards hiding a ConfigMap's data in a mixed list.
 */
export function redactSecretBlocks(text: string): string {
  if (!MENTIONS_SECRET.test(text)) return text;
  return redactJsonData(redactYamlData(text));
}

function redactYamlData(text: string): string {
  const lines = text.split('\n');
  let blockIndent: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const indent = /^[ \t]*/.exec(line)?.[0].length ?? 0;
    if (blockIndent !== undefined && line.trim() !== '' && indent > blockIndent) {
      lines[i] = line.replace(/^([ \t]*["']?[^:"'\s][^:]*?["']?[ \t]*:)[ \t]*\S.*$/, `$1 ${SECRET_DATA}`);
      continue;
    }
    if (line.trim() !== '') blockIndent = undefined;
    const key = YAML_DATA_KEY.exec(line);
    if (key === null) continue;
    if (key[2] !== undefined) lines[i] = line.replace(/:\s*[^:,{}]+(?=[,}])/g, `: ${SECRET_DATA}`);
    else blockIndent = (key[1] ?? '').length;
  }
  return lines.join('\n');
}

function redactJsonData(text: string): string {
  let out = '';
  let from = 0;
  for (const match of text.matchAll(JSON_DATA_KEY)) {
    const open = match.index + match[0].length;
    if (open < from) continue;
    const close = text.indexOf('}', open);
    const end = close === -1 ? text.length : close;
    out += text.slice(from, open) + text.slice(open, end).replace(/("(?:[^"\\]|\\.)*"\s*:\s*)"(?:[^"\\]|\\.)*"/g, `$1"${SECRET_DATA}"`);
    from = end;
  }
  return out + text.slice(from);
}
