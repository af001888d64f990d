import { redactionMarker } from './redaction-marker.ts';

type Replacement = string | ((match: string, ...groups: string[]) => string);

/** Not inside a longer word or token: the shapes below start where a token starts. */
const START = '(?<![\\w-])';

const shape = (what: string, body: string, flags = 'g'): [RegExp, Replacement] => [
  new RegExp(`${START}${body}`, flags),
  redactionMarker(what),
];

/**
 * Credentials recognisable by their value alone, wherever they appear. Each pattern starts with a literal
 * prefix or a lookbehind (one start per token) and has no quantifiers that can overlap, so each runs in linear
 * time. Most specific first.
 */
const SHAPES: [RegExp, Replacement][] = [
  shape('jwt', 'eyJ[\\w-]{8,}\\.eyJ[\\w-]{8,}\\.[\\w-]*'),
  [new RegExp(`${START}(Bearer|Basic)([ \\t]{1,16})([\\w.~+/-]{8,}=*)`, 'gi'), authorization],
  shape('aws access key', '(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA)[A-Z0-9]{16}(?![A-Za-z0-9])'),
  [
    /(?<![\w-])(aws_secret_access_key|aws_session_token)(["']?[ \t]{0,8}[:=][ \t]{0,8}["']?)[A-Za-z0-9/+=]{16,}/gi,
    (_m, key = '', sep = '') => `${key}${sep}${redactionMarker('aws secret key')}`,
  ],
  shape('slack token', 'xox[abposre]-[A-Za-z0-9-]{10,}'),
  shape('slack token', 'xapp-\\d-[A-Za-z0-9-]{10,}'),
  [/https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+/g, redactionMarker('slack webhook')],
  [/https:\/\/(?:(?:ptb|canary)\.)?discord(?:app)?\.com\/api\/webhooks\/\d+\/[\w-]+/g, redactionMarker('discord webhook')],
  [/https:\/\/[\w-]+\.webhook\.office\.com\/webhookb2\/[\w@/-]+/g, redactionMarker('teams webhook')],
  shape('github token', 'gh[pousr]_[A-Za-z0-9]{30,}'),
  shape('github token', 'github_pat_\\w{20,}'),
  shape('gitlab token', 'gl(?:pat|dt|rt|ptt|soat|cbt|ft|imt|agent)-[\\w-]{20,}'),
  shape('anthropic key', 'sk-ant-[\\w-]{20,}'),
  shape('openai key', 'sk-(?:proj|svcacct|admin)-[\\w-]{20,}'),
  // Legacy OpenAI-style keys have no dashes after sk-, which keeps pod names like sk-worker-... out.
  shape('api key', 'sk-[A-Za-z0-9]{32,}(?![\\w-])'),
  shape('stripe key', '(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}'),
  shape('stripe webhook secret', 'whsec_[A-Za-z0-9]{20,}'),
  shape('sendgrid key', 'SG\\.[\\w-]{16,}\\.[\\w-]{16,}'),
  shape('google api key', 'AIza[\\w-]{35}(?![\\w-])'),
  shape('google oauth token', 'ya29\\.[\\w-]{20,}'),
  shape('google client secret', 'GOCSPX-[\\w-]{20,}'),
  shape('npm token', 'npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])'),
  shape('pypi token', 'pypi-AgE[\\w-]{40,}'),
  shape('vault token', 'hv[sbr]\\.[\\w-]{20,}'),
  shape('twilio api key', 'SK[0-9a-f]{32}(?![0-9a-zA-Z])'),
  shape('huggingface token', 'hf_[A-Za-z]{30,}(?![\\w-])'),
  shape('digitalocean token', 'do[opr]_v1_[a-f0-9]{64}'),
  shape('shopify token', 'shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}'),
  shape('age secret key', 'AGE-SECRET-KEY-1[0-9A-Z]{50,}'),
  shape('new relic key', 'NRAK-[A-Z0-9]{27}'),
  shape('azure client secret', '[\\w~.-]{3}\\dQ~[\\w~.-]{31,34}(?![\\w~.-])'),
  shape('telegram bot token', '\\d{8,10}:AA[\\w-]{33}(?![\\w-])'),
  // kubeadm bootstrap tokens: <6>.<16> lower-case alphanumerics, the secret half with a digit and a letter.
  [/(?<![\w.-])[a-z0-9]{6}\.(?=[a-z]{0,15}[0-9])(?=[0-9]{0,15}[a-z])[a-z0-9]{16}(?![\w.-])/g, redactionMarker('bootstrap token')],
  // Azure storage and service bus connection strings, SAS signatures.
  [
    /(?<![\w-])(AccountKey|SharedAccessKey|SharedAccessSignature)=(?!\[redacted)[^;\s"']+/g,
    (_m, key = '') => `${key}=${redactionMarker('azure key')}`,
  ],
];

/** Redacts every credential shape in SHAPES. */
export function redactCredentialShapes(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SHAPES) {
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out;
}

/**
 * `Bearer <token>` and `Basic <base64>`: redacted when the word after the scheme is a credential, not a plain
 * word of prose ("Bearer token required", "Basic authentication failed" stay readable).
 */
function authorization(match: string, scheme = '', space = '', token = ''): string {
  if (/^[A-Z]?[a-z]{1,15}$/.test(token)) return match;
  return `${scheme}${space}${redactionMarker(/^basic$/i.test(scheme) ? 'basic auth' : 'bearer token')}`;
}
