// "did you mean --port?": the closest known word by edit distance, when it is close enough to be
// a typo. Inputs are short (flags, commands, rule codes): the quadratic distance is fine.

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The known word closest to `word`, if within a third of its length (at least 2 edits allowed). */
export function closest(word: string, known: Iterable<string>): string | undefined {
  if (word.length > 100) return undefined;
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const d = distance(word.toLowerCase(), k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  return bestD <= limit ? best : undefined;
}

/** " (did you mean X?)" or "". */
export function didYouMean(word: string, known: Iterable<string>): string {
  const c = closest(word, known);
  return c === undefined ? "" : ` (did you mean ${c}?)`;
}

/** node:util parseArgs' "Unknown option '--prot'. To specify ..." as "unknown flag --prot (did you mean --port?)". */
export function usageMessage(e: Error, flags: Iterable<string>): string {
  const m = /^Unknown option '(-{1,2}[^']*)'/.exec(e.message);
  if (m?.[1] === undefined) return e.message;
  const known = [...flags].map((f) => (f.length === 1 ? `-${f}` : `--${f}`));
  return `unknown flag ${m[1]}${didYouMean(m[1], known)}`;
}
