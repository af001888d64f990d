/**
 * How a link from untrusted text (model output, alert and cluster text) is shown so that it never hides where
 * it goes: a label that says something else than the URL gets the URL's host next to it (`click here
 * (evil.example)`), a label that itself looks like an address is dropped for the real URL, and only http(s) and
 * mailto links are links at all. Undefined: not a link, show the label and the URL as text.
 */
export interface ShownLink {
  url: string;
  /** The text to show; absent: show the URL itself. */
  label?: string;
}

/** `scheme://`, `www.`, or a dotted name (`grafana.example`, `pod.yaml`): text that reads as an address. */
const ADDRESS_LIKE = /:\/\/|www\.|[A-Za-z0-9]\.[A-Za-z]/;

export function shownLink(url: string, label: string): ShownLink | undefined {
  if (/^mailto:/i.test(url)) return { url };
  if (!/^https?:\/\//i.test(url)) return undefined;
  if (label === '' || label === url || ADDRESS_LIKE.test(label)) return { url };
  const host = hostOf(url);
  return host === undefined ? { url } : { url, label: `${label} (${host})` };
}

/** The host as the browser will use it (after any `user@`, IDNs in punycode), or undefined if the URL does not parse. */
function hostOf(url: string): string | undefined {
  try {
    const host = new URL(url).host;
    return host === '' ? undefined : host;
  } catch {
    return undefined;
  }
}
