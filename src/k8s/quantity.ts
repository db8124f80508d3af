// Kubernetes resource quantities ("100m", "4Gi", "1e3") as numbers in base units, for comparisons.
// Used for Tenant values when the directory loads them, and for a request's own quantities on the
// review path: one left-to-right scan, no regular expression, and a length bound checked first, so
// a hostile value costs the same few steps as "500m".
//
// Accepted: what both apimachinery's ParseQuantity and the API's OpenAPI quantity pattern accept -
// an optional sign, digits with an optional fraction (at least one digit), then one suffix: binary
// Ki..Ei, decimal n u m k M G T P E, or e/E with a signed integer exponent ("1e2.5" is refused, as
// ParseQuantity refuses it). Surrounding whitespace is trimmed, as the API server's JSON decoding does.

/** Longer strings are not quantities here: real ones are a few characters ("1.5Gi", "250m"). */
export const MAX_QUANTITY_LENGTH = 128;

const DECIMAL: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const BINARY: Readonly<Record<string, number>> = {
  K: 2 ** 10,
  M: 2 ** 20,
  G: 2 ** 30,
  T: 2 ** 40,
  P: 2 ** 50,
  E: 2 ** 60,
};

const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Index of the first non-digit at or after `i`. */
function digitsEnd(s: string, i: number): number {
  while (i < s.length && isDigit(s.charCodeAt(i))) i++;
  return i;
}

/** The quantity's value in base units, or undefined when it is not a valid quantity. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === "number") return Number.isFinite(q) ? q : undefined;
  if (typeof q !== "string" || q.length > MAX_QUANTITY_LENGTH) return undefined;
  const s = q.trim();
  let i = 0;
  const sign = s.charCodeAt(0);
  if (sign === 43 /* + */ || sign === 45 /* - */) i++;
  const intEnd = digitsEnd(s, i);
  let end = intEnd;
  if (s.charCodeAt(end) === 46 /* . */) end = digitsEnd(s, end + 1);
  // At least one digit, before or after the point ("." and "Gi" are not quantities).
  if (intEnd === i && end <= intEnd + 1) return undefined;
  const number = s.slice(0, end);
  const v = end === s.length ? Number(number) : withSuffix(number, s, end);
  return v !== undefined && Number.isFinite(v) ? v : undefined;
}

/** `number` times the suffix that starts at `s[end]`. */
function withSuffix(number: string, s: string, end: number): number | undefined {
  const rest = s.length - end;
  const unit = s[end] as string;
  if (rest === 1) {
    const factor = DECIMAL[unit];
    return factor === undefined ? undefined : Number(number) * factor;
  }
  if (rest === 2 && s[end + 1] === "i") {
    const factor = BINARY[unit];
    return factor === undefined ? undefined : Number(number) * factor;
  }
  if (unit !== "e" && unit !== "E") return undefined;
  // A decimal exponent: a signed integer, nothing after it.
  let j = end + 1;
  const expSign = s.charCodeAt(j);
  if (expSign === 43 /* + */ || expSign === 45 /* - */) j++;
  if (j === s.length || digitsEnd(s, j) !== s.length) return undefined;
  return Number(`${number}e${s.slice(end + 1)}`);
}

export function isQuantity(q: unknown): boolean {
  return parseQuantity(q) !== undefined;
}
