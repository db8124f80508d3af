// Rules and mutators indexed by (group, resource, subresource) once at start, so a request looks
// up only the rules that apply to it instead of asking every rule.
import type { AdmissionRequest } from "../admission/types.ts";
import type { Mutator, ResourceMatch, Rule } from "./types.ts";

interface Matchable {
  readonly match: readonly ResourceMatch[] | "*";
  readonly operations: readonly string[];
}

const MAX_MERGED = 1024;

function key(group: string, resource: string, sub: string): string {
  return `${group}|${resource}|${sub}`;
}

export class Registry<T extends Matchable> {
  private readonly exact = new Map<string, T[]>();
  private readonly everything: T[] = [];
  private readonly none: readonly T[] = [];
  /** The merged candidate list per resource key, built on first use instead of per request. */
  private readonly merged = new Map<string, readonly T[]>();
  readonly all: readonly T[];

  constructor(items: readonly T[]) {
    this.all = items;
    for (const item of items) {
      if (item.match === "*") {
        this.everything.push(item);
        continue;
      }
      for (const m of item.match) {
        const subs = m.subresource === "*" ? ["*"] : [m.subresource ?? ""];
        for (const s of subs) {
          const k = key(m.group, m.resource, s);
          const list = this.exact.get(k) ?? [];
          list.push(item);
          this.exact.set(k, list);
        }
      }
    }
  }

  /** Candidates for this request's resource; callers still check `operations`. */
  forRequest(req: AdmissionRequest): readonly T[] {
    const g = req.resource.group;
    const r = req.resource.resource;
    const k = key(g, r, req.subResource);
    const cached = this.merged.get(k);
    if (cached !== undefined) return cached;
    const exact = this.exact.get(k);
    const wild = this.exact.get(key(g, r, "*"));
    let out: readonly T[];
    if (this.everything.length === 0 && wild === undefined) out = exact ?? this.none;
    else {
      const list: T[] = [...this.everything];
      for (const l of [exact, wild])
        if (l !== undefined) for (const i of l) if (!list.includes(i)) list.push(i);
      out = list;
    }
    // Resources come from the webhook configuration, a short list; the cap only guards against abuse.
    if (this.merged.size < MAX_MERGED) this.merged.set(k, out);
    return out;
  }
}

export type RuleRegistry = Registry<Rule>;
export type MutatorRegistry = Registry<Mutator>;
