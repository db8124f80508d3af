// What several rules derive from the same request, computed once and kept on that request's
// context (RuleContext.memo): nothing outlives the review, and no module holds the last request.
import type { RuleContext } from "./types.ts";

/** The values derived from one request, keyed by the function that derives them. */
export class RequestMemo {
  private readonly values = new Map<object, unknown>();

  derived<T>(key: object, build: (ctx: RuleContext) => T, ctx: RuleContext): T {
    const v = this.values.get(key);
    if (v !== undefined || this.values.has(key)) return v as T;
    const built = build(ctx);
    this.values.set(key, built);
    return built;
  }
}

/** A function of the request, built at most once per RuleContext. */
export function perRequest<T>(build: (ctx: RuleContext) => T): (ctx: RuleContext) => T {
  const derive = (ctx: RuleContext): T => ctx.memo.derived(derive, build, ctx);
  return derive;
}
