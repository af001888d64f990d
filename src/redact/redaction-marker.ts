/** What replaces a redacted value: says what was there, so the model can tell the user why. */
export function redactionMarker(what: string): string {
  return `[redacted: ${what}]`;
}

export const isRedactionMarker = (value: string): boolean => value.startsWith('[redacted');
