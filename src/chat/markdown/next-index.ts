/**
 * A forward-only search for the next code unit that `isTarget` accepts: the answer for one position is
 * reused for later positions before it, so callers that ask at increasing positions scan the text once.
 * Returns the text's length when there is none.
 */
export function nextIndexFinder(text: string, isTarget: (code: number) => boolean): (from: number) => number {
  let searchedFrom = Infinity;
  let found = -1;
  return (from) => {
    if (from < searchedFrom || from > found) {
      searchedFrom = from;
      found = from;
      while (found < text.length && !isTarget(text.charCodeAt(found))) found += 1;
    }
    return found;
  };
}
