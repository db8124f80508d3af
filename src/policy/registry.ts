// Rules and mutators indexed by (group, resource, subresource) once at start, so a request looks
// up only the rules that apply to it instead of asking every rule.
import type { AdmissionRequest } from "../admission/types.ts";
import type { Mutator, ResourceMatch, Rule } from "./types.ts";

interface Matchable {
  readonly match: readonly ResourceMatch[] | "*";
  readonly operations: readonly string[];
}

function key(group: string, resource: string, sub: string): string {
  return `${group}|${resource}|${sub}`;
}

export class Registry<T extends Matchable> {
  private readonly exact = new Map<string, T[]>();
  private readonly everything: T[] = [];
  private readonly none: readonly T[] = [];
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
    const exact = this.exact.get(key(g, r, req.subResource));
    const wild = this.exact.get(key(g, r, "*"));
    if (this.everything.length === 0 && wild === undefined) return exact ?? this.none;
    const out: T[] = [...this.everything];
    for (const list of [exact, wild])
      if (list !== undefined) for (const i of list) if (!out.includes(i)) out.push(i);
    return out;
  }
}

export type RuleRegistry = Registry<Rule>;
export type MutatorRegistry = Registry<Mutator>;
