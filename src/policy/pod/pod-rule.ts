// A pod check is a rule in one file: `podRule({ code, summary, spec, container?, resources? })`
// plus its line in catalogue.ts. The rule matches every resource ("*") because which kinds carry
// pod templates is configuration (workloads.templates), not code: podTargets() answers from a Map
// keyed by group/resource and returns nothing for kinds without pods.
import { dropExisting } from "../existing-violations.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { oldPodTargets, podTargets, type PodTargets } from "../workloads/targets.ts";
import { podScope, type PodScope } from "./scope.ts";
import type { JsonRecord } from "../../k8s/access.ts";

export type SpecCheck = (scope: PodScope, spec: JsonRecord, base: string, out: Finding[]) => void;
export type ContainerCheck = (scope: PodScope, c: JsonRecord, path: string, out: Finding[]) => void;
/** Over a ResourceRequirements that one pod gets (path: the requirements object itself). */
export type ResourcesCheck = (scope: PodScope, r: JsonRecord, path: string, out: Finding[]) => void;
/** Over everything else the request's pod targets hold (model URIs, storage specs). */
export type TargetsCheck = (scope: PodScope, targets: PodTargets, out: Finding[]) => void;

/** One pod check over a PodSpec at a base path (`spec`, `spec.template.spec`, `spec.predictor`...). */
export interface PodCheck {
  readonly code: string;
  readonly summary: string;
  readonly spec: SpecCheck;
  /** For a lone container (an operator's model or trainer container). */
  readonly container?: ContainerCheck;
  readonly resources?: ResourcesCheck;
  readonly targets?: TargetsCheck;
}

/** A Rule that also carries its pod check, so checkPodSpec() can run every one found in RULES. */
export interface PodRule extends Rule {
  readonly pod: PodCheck;
}

export function isPodRule(rule: Rule): rule is PodRule {
  return (rule as Partial<PodRule>).pod !== undefined;
}

export function podRule(check: PodCheck): PodRule {
  const rule = podTargetsRule(check.code, check.summary, (sc, t, o) => runCheck(check, sc, t, o));
  return { ...rule, pod: check };
}

/**
 * A rule over the request's pod targets, with existing violations of an UPDATE dropped. Exported
 * for a rule with nothing to check in a bare PodSpec (TG-POD-SPEC-PATCH reads only the targets).
 */
export function podTargetsRule(
  code: string,
  summary: string,
  run: (scope: PodScope, targets: PodTargets, out: Finding[]) => void,
): Rule {
  return {
    code,
    summary,
    match: "*",
    operations: ["CREATE", "UPDATE"],
    check(ctx: RuleContext, out: Finding[]): void {
      const targets = podTargets(ctx);
      if (targets === undefined) return;
      const before = out.length;
      run(podScope(ctx), targets, out);
      if (out.length === before || ctx.request.operation !== "UPDATE") return;
      dropExistingViolations(ctx, out, before, run);
    },
  };
}

function runCheck(check: PodCheck, scope: PodScope, targets: PodTargets, out: Finding[]): void {
  // Index loops: eight rules per review, and for-of allocated an iterator each in the server.
  const { specs, containers, resources } = targets;
  for (let i = 0; i < specs.length; i++) check.spec(scope, specs[i]!.spec, specs[i]!.path, out);
  if (check.container !== undefined)
    for (let i = 0; i < containers.length; i++)
      check.container(scope, containers[i]!.container, containers[i]!.path, out);
  if (check.resources !== undefined)
    for (let i = 0; i < resources.length; i++)
      check.resources(scope, resources[i]!.resources, resources[i]!.path, out);
  if (check.targets !== undefined) check.targets(scope, targets, out);
}

/**
 * On UPDATE, a finding the old object already had is not the update's doing: a grandfathered pod
 * or workload (made before tenant-guard, or by an admin) can still be relabelled or scaled, while a
 * change that adds a crossing is denied (Kyverno's allowExistingViolations). Findings are matched
 * by what they reference, not by array index (existing-violations.ts). Only runs when the new
 * object has findings, so the allow path pays nothing.
 */
function dropExistingViolations(
  ctx: RuleContext,
  out: Finding[],
  from: number,
  run: (scope: PodScope, targets: PodTargets, out: Finding[]) => void,
): void {
  const old = oldPodTargets(ctx);
  if (old === undefined) return;
  const had: Finding[] = [];
  run(podScope(ctx), old, had);
  dropExisting(out, from, had);
}
