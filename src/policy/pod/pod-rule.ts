// Builds the Rule for one pod check. The rule matches every resource ("*") because which kinds
// carry pod templates is configuration (workloads.templates), not code: podTargets() answers from
// a Map keyed by group/resource and returns nothing for kinds without pods.
import type { Finding, Rule, RuleContext } from "../types.ts";
import { podTargets } from "../workloads/targets.ts";
import type { PodCheck } from "./check-pod-spec.ts";
import { podScope } from "./scope.ts";

export function podRule(check: PodCheck, summary: string): Rule {
  return {
    code: check.code,
    summary,
    match: "*",
    operations: ["CREATE", "UPDATE"],
    check(ctx: RuleContext, out: Finding[]): void {
      const targets = podTargets(ctx);
      if (targets === undefined) return;
      const scope = podScope(ctx);
      for (const t of targets.specs) check.spec(scope, t.spec, t.path, out);
      if (check.container === undefined) return;
      for (const t of targets.containers) check.container(scope, t.container, t.path, out);
    },
  };
}

export function podCheck(checks: readonly PodCheck[], code: string): PodCheck {
  const c = checks.find((x) => x.code === code);
  if (c === undefined) throw new Error(`no pod check ${code}`);
  return c;
}
