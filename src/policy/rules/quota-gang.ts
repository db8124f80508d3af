// TG-QUOTA-GANG / TG-QUOTA-GANG-WAIT: a gang workload (PyTorchJob, TFJob, MPIJob, JAXJob, TrainJob,
// JobSet, RayCluster, Deployment, StatefulSet, Job, ...) runs all its pods together or not at all.
// One whose whole gang (pods of each replica type x one pod's charge, src/policy/workloads/gang.ts)
// is more than spec.quota.hard can never run: denied at apply time with the arithmetic, instead of
// creating pods that are denied one by one and a job that waits forever. One that fits hard but not
// hard minus what the tenant uses now is admitted with a warning: it will wait for room. On an
// UPDATE only a gang that grows past hard is denied (an unrelated edit of a job admitted under a
// larger budget passes). dryRun is judged the same; nothing here charges anything.
import { chargeOf, chargeOfSpec } from "../../quota/charge.ts";
import type { ResourceAmount } from "../../tenancy/tenant-policy.ts";
import { objectRef } from "../messages.ts";
import { perRequest } from "../per-request.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { GANG_RESOURCES, gangOf, type GangGroup } from "../workloads/gang.ts";
import { fmt, SLACK } from "./quota.ts";

const QUOTA_GANG = "TG-QUOTA-GANG";
const QUOTA_GANG_WAIT = "TG-QUOTA-GANG-WAIT";

/** One budgeted key's total over the gang, with its terms for the message. */
export interface GangTotal {
  readonly key: string;
  readonly total: number;
  /** "Worker 4 x 8" per group that asks any of the key. */
  readonly terms: readonly string[];
}

/** The gang's total of every budgeted key it asks any of. */
export function gangTotals(
  groups: readonly GangGroup[],
  hard: ReadonlyMap<string, ResourceAmount>,
): GangTotal[] {
  const charges = groups.map((g) => chargeOfSpec(g.spec, false));
  const out: GangTotal[] = [];
  for (const key of hard.keys()) {
    let total = 0;
    const terms: string[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as GangGroup;
      const per = chargeOf(charges[i]!, key);
      if (per <= 0 || g.count === 0) continue;
      total += g.count * per;
      terms.push(`${g.name} ${g.count} x ${fmt(key, per)}`);
    }
    if (total > 0) out.push({ key, total, terms });
  }
  return out;
}

function arithmetic(t: GangTotal, rest: string): string {
  return `${t.key}: ${t.terms.join(" + ")} = ${fmt(t.key, t.total)}${rest}`;
}

interface GangJudgement {
  readonly tenant: string;
  /** Keys whose whole gang is more than hard (and, on UPDATE, more than the old gang asked). */
  readonly never: { t: GangTotal; hard: ResourceAmount }[];
  /** Keys that fit hard but not hard minus current usage (CREATE only). */
  readonly wait: { t: GangTotal; hard: ResourceAmount; used: number }[];
}

const judge = perRequest((ctx: RuleContext): GangJudgement | undefined => {
  const tenant = ctx.namespaceTenant;
  if (tenant === undefined || ctx.request.subResource !== "") return undefined;
  const hard = ctx.view.tenant(tenant)?.quotaHard;
  if (hard === undefined || hard.size === 0) return undefined;
  const { group, resource } = ctx.request.resource;
  const groups = gangOf(group, resource, ctx.request.object);
  if (groups === undefined || groups.length === 0) return undefined;
  const totals = gangTotals(groups, hard);
  const old = ctx.request.operation === "UPDATE" ? gangOf(group, resource, ctx.request.oldObject) : undefined;
  const oldTotals =
    old === undefined ? undefined : new Map(gangTotals(old, hard).map((t) => [t.key, t.total]));
  const used = ctx.view.quotaUsage(tenant);
  const never: GangJudgement["never"] = [];
  const wait: GangJudgement["wait"] = [];
  for (const t of totals) {
    const h = hard.get(t.key) as ResourceAmount;
    if (t.total > h.value * SLACK) {
      // An update that does not grow the gang is not the one that made it too big.
      if (oldTotals === undefined || t.total > (oldTotals.get(t.key) ?? 0)) never.push({ t, hard: h });
    } else if (ctx.request.operation === "CREATE") {
      const u = used.get(t.key) ?? 0;
      if (u + t.total > h.value * SLACK) wait.push({ t, hard: h, used: u });
    }
  }
  return { tenant, never, wait };
});

export const quotaGangRule: Rule = {
  code: QUOTA_GANG,
  summary:
    "a gang workload whose whole gang (replicas x per-pod requests) can never fit its tenant's spec.quota.hard",
  match: GANG_RESOURCES,
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const j = judge(ctx);
    if (j === undefined || j.never.length === 0) return;
    out.push({
      code: QUOTA_GANG,
      message:
        `${objectRef(ctx.request)} can never run within tenant "${j.tenant}"'s budget ` +
        `(spec.quota.hard over all its namespaces): its pods run together and need ${j.never
          .map(({ t, hard }) => arithmetic(t, ` > hard ${hard.raw}`))
          .join("; ")}; use fewer replicas or smaller pods, or ask an admin to raise the budget`,
      path: "spec",
    });
  },
};

export const quotaGangWaitRule: Rule = {
  code: QUOTA_GANG_WAIT,
  summary:
    "a gang workload that fits spec.quota.hard but not what its tenant has left now (a warning: it will wait)",
  match: GANG_RESOURCES,
  operations: ["CREATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const j = judge(ctx);
    if (j === undefined || j.never.length > 0 || j.wait.length === 0) return;
    out.push({
      code: QUOTA_GANG_WAIT,
      // Warnings are cut at 256 characters (the API server's limit): the numbers come first.
      message:
        `${objectRef(ctx.request)} will wait for room in tenant "${j.tenant}"'s budget (fits hard, ` +
        `not what is left): ${j.wait
          .map(
            ({ t, hard, used }) =>
              `${t.key}: used ${fmt(t.key, used)} + ${t.terms.join(" + ")} = ${fmt(t.key, used + t.total)} > hard ${hard.raw}`,
          )
          .join("; ")}`,
      path: "spec",
      mode: "Warn",
    });
  },
};
