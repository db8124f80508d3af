// What several rules derive from the same request, computed once. Rules run one after another,
// synchronously, on one RuleContext (engine.ts), so the last context is the only one worth
// remembering: a one-entry memo costs less than a WeakMap keyed by a fresh object per request.
import type { RuleContext } from "./types.ts";

export function perRequest<T>(build: (ctx: RuleContext) => T): (ctx: RuleContext) => T {
  let lastCtx: RuleContext | undefined;
  let last: T | undefined;
  return (ctx) => {
    if (ctx !== lastCtx) {
      last = build(ctx);
      lastCtx = ctx;
    }
    return last as T;
  };
}
