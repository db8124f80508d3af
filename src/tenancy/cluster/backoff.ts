// Restart delays for informers that stopped on an error: exponential with jitter, so a fleet of
// webhook replicas does not hammer a recovering API server in lockstep.

export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** 0..1: the delay is spread uniformly over [d * (1 - jitter), d]. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 30_000, jitter: 0.5 };

/** Delay before restart number `attempt` (0-based) of a run of consecutive failures. */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions,
  random: () => number = Math.random,
): number {
  const exp = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(exp * (1 - opts.jitter * random()));
}
