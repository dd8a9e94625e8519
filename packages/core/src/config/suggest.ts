/**
 * Levenshtein distance, case-insensitive. Hand-written: a dozen lines are not worth a dependency in the pure core.
 */
const editDistance = (a: string, b: string): number => {
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  let previous = Array.from({ length: right.length + 1 }, (_, index) => index);
  for (let i = 1; i <= left.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= right.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (left[i - 1] === right[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[right.length] ?? 0;
};

/**
 * The candidate closest to what was written, if it is close enough to be a typo
 * (at most one edit per three characters, at least one): "forbidenTags" -> "forbiddenTags".
 */
const closestMatch = (written: string, candidates: Iterable<string>): string | undefined => {
  const budget = Math.max(1, Math.floor(written.length / 3));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(written, candidate);
    if (distance <= budget && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
};

/** " (did you mean 'x'?)" or "" — appended to messages. */
const didYouMean = (written: string, candidates: Iterable<string>, quote = "'"): string => {
  const match = closestMatch(written, candidates);
  return match === undefined || match === written ? '' : ` (did you mean ${quote}${match}${quote}?)`;
};

export { closestMatch, didYouMean, editDistance };
