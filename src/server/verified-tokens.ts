// Bearer tokens already verified, so a caller that sends the same token on every review (the API
// server does: one service-account or projected token until it rotates) pays one signature check
// per token, not one per review (an ES256 verify costs more than a whole pod decision). Keyed by
// the exact token string; an entry lives until the token's own expiry (plus the clock tolerance
// the verifier allows) or `ttlMs`, whichever is first; all entries are dropped when the signing
// keys change. Only successful verifications are kept, at most `max` of them (oldest dropped).
export class VerifiedTokens {
  private readonly entries = new Map<string, number>();
  private readonly max: number;
  private readonly ttlMs: number;
  private generation = -1;

  constructor(max = 1024, ttlMs = 60_000) {
    this.max = max;
    this.ttlMs = ttlMs;
  }

  /** Forgets everything when the key set's generation moved (a rotated JWKS file). */
  sync(keyGeneration: number): void {
    if (keyGeneration === this.generation) return;
    this.entries.clear();
    this.generation = keyGeneration;
  }

  has(token: string, nowMs: number): boolean {
    const until = this.entries.get(token);
    if (until === undefined) return false;
    if (nowMs < until) return true;
    this.entries.delete(token);
    return false;
  }

  /** `expSec`: the token's `exp` claim; `toleranceSec`: the verifier's clock tolerance. */
  add(token: string, expSec: number, toleranceSec: number, nowMs: number): void {
    const until = Math.min(nowMs + this.ttlMs, (expSec + toleranceSec) * 1000);
    if (!(until > nowMs)) return;
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(token, until);
  }

  get size(): number {
    return this.entries.size;
  }
}
