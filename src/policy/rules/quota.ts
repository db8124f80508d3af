// TG-QUOTA-EXCEEDED / TG-QUOTA-WARN: a team budget (spec.quota.hard) over all the tenant's
// namespaces. A pod create, or the create of an object a count/<resource>.<group> key budgets
// (quota/object-count.ts), that would take the tenant's usage past a hard value is denied with
// the numbers (used + asked > hard) and the namespaces that use most; one that stays within but
// passes warnAt percent is admitted with a warning. Usage is the directory's in-memory ledger
// (src/quota/ledger.ts): one Map read per budgeted key. dryRun is judged the same; nothing here
// charges anything. A create whose budgeted object count is not known yet (a budget added moments
// ago, its kind still being listed) is refused until it is: never judged on a partial count.
import { isRecord } from "../../k8s/access.ts";
import type { AdmissionRequest } from "../../admission/types.ts";
import { chargeOfSpec, type PodCharge } from "../../quota/charge.ts";
import { countedResourceOf, objectCharge } from "../../quota/object-count.ts";
import type { ResourceAmount } from "../../tenancy/tenant-policy.ts";
import { formatAmount } from "../../k8s/pod-amounts.ts";
import { objectRef } from "../messages.ts";
import { perRequest } from "../per-request.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

export const QUOTA_EXCEEDED = "TG-QUOTA-EXCEEDED";
export const QUOTA_WARN = "TG-QUOTA-WARN";

/** Quantities are decimal fractions summed in binary floating point: allow for that. */
export const SLACK = 1 + 1e-9;

interface Over {
  readonly key: string;
  readonly used: number;
  readonly asked: number;
  readonly hard: ResourceAmount;
}

/** The resource name a quota key measures, for formatting ("limits.memory" -> "memory"). */
function measured(key: string): string {
  const dot = key.indexOf(".");
  return key.startsWith("requests.") || key.startsWith("limits.") ? key.slice(dot + 1) : key;
}

/** An amount of a quota key, in the unit people write it in ("16Gi", "500m"). */
export function fmt(key: string, v: number): string {
  return formatAmount(measured(key), v);
}

/** The tenant's namespaces that use most of `key`, largest first (deny path only). */
function topNamespaces(ctx: RuleContext, tenant: string, key: string): string {
  const rows: [string, number][] = [];
  for (const ns of ctx.view.namespacesOf(tenant)) {
    const v = ctx.view.namespaceQuotaUsage(ns).get(key) ?? 0;
    if (v > 0) rows.push([ns, v]);
  }
  rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (rows.length === 0) return "";
  return `; most used in ${rows
    .slice(0, 3)
    .map(([ns, v]) => `${ns} (${fmt(key, v)})`)
    .join(", ")}`;
}

function line(o: Over): string {
  return (
    `${o.key}: used ${fmt(o.key, o.used)} + asked ${fmt(o.key, o.asked)} = ` +
    `${fmt(o.key, o.used + o.asked)}, hard ${o.hard.raw}`
  );
}

/** Budgeted keys the charge crosses (past hard) and those it takes past warnAt. */
function judgeCharge(
  charge: PodCharge,
  hard: ReadonlyMap<string, ResourceAmount>,
  used: ReadonlyMap<string, number>,
  warnAt: number | undefined,
): { over: Over[]; warn: Over[] } {
  const over: Over[] = [];
  const warn: Over[] = [];
  for (let i = 0; i < charge.keys.length; i++) {
    const key = charge.keys[i] as string;
    const h = hard.get(key);
    if (h === undefined) continue;
    const asked = charge.values[i] as number;
    const u = used.get(key) ?? 0;
    const o = { key, used: u, asked, hard: h };
    if (u + asked > h.value * SLACK) over.push(o);
    else if (warnAt !== undefined && u + asked > ((h.value * warnAt) / 100) * SLACK) warn.push(o);
  }
  return { over, warn };
}

interface Judgement {
  readonly tenant: string;
  readonly warnAt: number | undefined;
  readonly over: Over[];
  readonly warn: Over[];
  /** Budgeted object-count keys of the charge whose count is still being listed. */
  readonly pending: string[];
}

function pendingKeys(
  ctx: RuleContext,
  charge: PodCharge,
  hard: ReadonlyMap<string, ResourceAmount>,
): string[] {
  const out: string[] = [];
  for (const key of charge.keys) {
    if (!hard.has(key)) continue;
    const counted = countedResourceOf(key);
    if (counted !== undefined && ctx.view.countPending(counted.key)) out.push(key);
  }
  return out;
}

const isPod = (r: AdmissionRequest): boolean => r.resource.group === "" && r.resource.resource === "pods";

/**
 * What a create charges: a pod its requests and counts, any other object its object-count keys
 * (which only a budget naming them makes matter). Subresources (pods/binding, tokens) charge nothing.
 */
export function chargeOfRequest(r: AdmissionRequest): PodCharge | undefined {
  if (r.subResource || !r.namespace) return undefined;
  if (!isPod(r)) return objectCharge(r.resource.group, r.resource.resource);
  const obj = r.object;
  // Dropped after the review, so not interned like the informer's charges.
  return isRecord(obj) && isRecord(obj.spec) ? chargeOfSpec(obj.spec, false) : undefined;
}

/** Both rules read one judgement per request. */
const judge = perRequest((ctx: RuleContext): Judgement | undefined => {
  const tenant = ctx.namespaceTenant;
  if (tenant === undefined) return undefined;
  const policy = ctx.view.tenant(tenant);
  if (policy === undefined || policy.quotaHard.size === 0) return undefined;
  const charge = chargeOfRequest(ctx.request);
  if (charge === undefined) return undefined;
  const used = ctx.view.quotaUsage(tenant);
  const { over, warn } = judgeCharge(charge, policy.quotaHard, used, policy.quotaWarnAt);
  const pending = pendingKeys(ctx, charge, policy.quotaHard);
  return { tenant, warnAt: policy.quotaWarnAt, over, warn, pending };
});

/** What frees budget, by what was asked for. */
function remedy(r: AdmissionRequest): string {
  return isPod(r)
    ? "ask for less, wait for pods to finish, or ask an admin to raise the budget"
    : `delete ${r.resource.resource} the tenant no longer needs, or ask an admin to raise the budget`;
}

// Every create: pods, and whatever a count/<resource>.<group> budget names (routed per deploy/).
const ANY: Rule["match"] = "*";

export const quotaRule: Rule = {
  code: QUOTA_EXCEEDED,
  summary:
    "a pod create, or a counted object's create (count/<resource>.<group>), that would take its tenant past spec.quota.hard (all its namespaces together)",
  match: ANY,
  operations: ["CREATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const j = judge(ctx);
    if (j === undefined) return;
    const { tenant } = j;
    if (j.pending.length > 0) {
      out.push({
        code: QUOTA_EXCEEDED,
        message:
          `${objectRef(ctx.request)} cannot be judged against tenant "${tenant}"'s budget yet: ` +
          `${j.pending.join(", ")} was budgeted moments ago and tenant-guard is still listing what ` +
          `counts against it; retry in a few seconds`,
        path: "metadata",
      });
      return;
    }
    if (j.over.length === 0) return;
    out.push({
      code: QUOTA_EXCEEDED,
      message:
        `${objectRef(ctx.request)} would take tenant "${tenant}" past its budget (spec.quota.hard, ` +
        `summed over its ${ctx.view.namespacesOf(tenant).size} namespaces): ${j.over
          .map((o) => line(o) + topNamespaces(ctx, tenant, o.key))
          .join("; ")}; ${remedy(ctx.request)}`,
      path: isPod(ctx.request) ? "spec" : "metadata",
    });
  },
};

export const quotaWarnRule: Rule = {
  code: QUOTA_WARN,
  summary:
    "a pod or counted object create that takes its tenant past spec.quota.warnAt percent of a hard value (a warning)",
  match: ANY,
  operations: ["CREATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const j = judge(ctx);
    if (j === undefined || j.pending.length > 0 || j.over.length > 0 || j.warn.length === 0) return;
    out.push({
      code: QUOTA_WARN,
      message:
        `${objectRef(ctx.request)} takes tenant "${j.tenant}" past ${j.warnAt}% of its budget: ` +
        `${j.warn.map(line).join("; ")}`,
      path: isPod(ctx.request) ? "spec" : "metadata",
      mode: "Warn",
    });
  },
};
