// The API server appends `?timeout=10s` (the webhook's timeoutSeconds) to every admission call and
// gives up after it. An answer that arrives later is wasted work on a connection it has abandoned,
// so a request gets a deadline a little inside that budget. The raw URL is read here and only this
// parameter is looked at.

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** A Go time.Duration string ("10s", "1m30s", "500ms") in milliseconds; undefined if not one. */
export function parseGoDuration(s: string): number | undefined {
  if (s === "" || s.length > 64) return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const start = PART.lastIndex;
    const m = PART.exec(s);
    if (m === null || m.index !== start) return undefined;
    total += Number(m[1]) * (UNIT_MS[m[2] as string] as number);
  }
  return Number.isFinite(total) ? total : undefined;
}

/** The `timeout` query parameter of a raw request URL, in ms; undefined when absent or invalid. */
export function requestedTimeoutMs(url: string | undefined): number | undefined {
  if (url === undefined) return undefined;
  const q = url.indexOf("?");
  return q === -1 ? undefined : parseTimeoutParam(url.slice(q + 1));
}

/** requestedTimeoutMs with a one-entry memo, one per admission handler: a webhook configuration
 * sends the same query on every call, so it is parsed once. */
export class TimeoutParam {
  private lastQuery: string | undefined;
  private lastMs: number | undefined;

  requestedMs(url: string | undefined): number | undefined {
    if (url === undefined) return undefined;
    const q = url.indexOf("?");
    if (q === -1) return undefined;
    const query = url.slice(q + 1);
    if (query === this.lastQuery) return this.lastMs;
    const ms = parseTimeoutParam(query);
    this.lastQuery = query;
    this.lastMs = ms;
    return ms;
  }

  /** answerBudgetMs, through the memo. */
  budgetMs(url: string | undefined, requestTimeoutMs: number): number {
    return budgetFrom(this.requestedMs(url), requestTimeoutMs);
  }
}

function parseTimeoutParam(query: string): number | undefined {
  const raw = new URLSearchParams(query).get("timeout");
  if (raw === null) return undefined;
  const ms = parseGoDuration(raw);
  return ms !== undefined && ms > 0 ? ms : undefined;
}

/**
 * How long this request may take before it is answered with a timeout: the API server's budget
 * (capped by our own request timeout) minus a margin for the answer's trip back.
 */
export function answerBudgetMs(url: string | undefined, requestTimeoutMs: number): number {
  return budgetFrom(requestedTimeoutMs(url), requestTimeoutMs);
}

function budgetFrom(requested: number | undefined, requestTimeoutMs: number): number {
  const budget = Math.min(requested ?? requestTimeoutMs, requestTimeoutMs);
  return Math.max(1, budget - Math.min(1000, budget * 0.1));
}
