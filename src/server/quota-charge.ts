// After the rules allowed a pod create, charge it to the tenant's ledger in the API server
// (api-ledger.ts) when the tenant has a budget the quota rule enforces. Dry runs charge nothing
// (the webhook declares sideEffects: NoneOnDryRun); they were judged by the rule on informer usage.
import type { AdmissionRequest, AdmissionResponse } from "../admission/types.ts";
import { isRecord, nameOf } from "../k8s/access.ts";
import { resolveMode } from "../policy/enforcement.ts";
import { QUOTA_EXCEEDED } from "../policy/rules/quota.ts";
import type { PolicySettings } from "../policy/types.ts";
import type { TenantView } from "../tenancy/view.ts";
import type { ApiLedger } from "../quota/api-ledger.ts";
import { chargeOfSpec } from "../quota/charge.ts";
import { formatAmount } from "../k8s/pod-amounts.ts";

export interface ChargeJob {
  readonly tenant: string;
  readonly pod: string;
  run(ledger: ApiLedger): Promise<string | undefined>;
}

/** The charge an allowed request needs, or undefined (most requests: no awaits, nothing built). */
export function chargeJob(
  r: AdmissionRequest,
  view: TenantView,
  settings: PolicySettings,
): ChargeJob | undefined {
  if (r.operation !== "CREATE" || r.dryRun || r.resource.resource !== "pods" || r.resource.group !== "")
    return undefined;
  // Exempt namespaces never reach the rules (engine.ts): nor the ledger.
  if (r.subResource || settings.exemptNamespaces.has(r.namespace)) return undefined;
  const tenant = r.namespace ? view.tenantOfNamespace(r.namespace) : undefined;
  if (tenant === undefined) return undefined;
  const policy = view.tenant(tenant);
  if (policy === undefined || policy.quotaHard.size === 0) return undefined;
  if (resolveMode(QUOTA_EXCEEDED, policy, settings) !== "Enforce") return undefined;
  const obj = r.object;
  if (!isRecord(obj) || !isRecord(obj.spec)) return undefined;
  const charge = chargeOfSpec(obj.spec, false); // dropped after the review: not interned
  const pod = `${r.namespace}/${r.name || nameOf(obj) || r.uid}`;
  return {
    tenant,
    pod,
    async run(ledger: ApiLedger): Promise<string | undefined> {
      const res = await ledger.charge(tenant, pod, charge, policy.quotaHard, () => view.quotaUsage(tenant));
      if (res.kind === "charged") return undefined;
      if (res.kind === "failed")
        return (
          `[${QUOTA_EXCEEDED}] pod "${pod}" of tenant "${tenant}" could not be charged to the tenant's ` +
          `budget ledger (Tenant status in the API server): ${res.reason}; retry the create`
        );
      const lines: string[] = [];
      for (let i = 0; i < charge.keys.length; i++) {
        const key = charge.keys[i] as string;
        const h = policy.quotaHard.get(key);
        if (h === undefined) continue;
        const used = res.used.get(key) ?? 0;
        const asked = charge.values[i] as number;
        if (used + asked > h.value * (1 + 1e-9))
          lines.push(
            `${key}: used ${fmt(key, used)} + asked ${fmt(key, asked)} = ${fmt(key, used + asked)}, hard ${h.raw}`,
          );
      }
      return (
        `[${QUOTA_EXCEEDED}] pod "${pod}" would take tenant "${tenant}" past its budget ` +
        `(spec.quota.hard, counting pods admitted but not yet running): ${lines.join("; ")}; ask for ` +
        `less, wait for pods to finish, or ask an admin to raise the budget`
      );
    },
  };
}

function fmt(key: string, v: number): string {
  const name =
    key.startsWith("requests.") || key.startsWith("limits.") ? key.slice(key.indexOf(".") + 1) : key;
  return formatAmount(name, v);
}

/** The allowed response turned into the ledger's denial. */
export function ledgerDenial(allowed: AdmissionResponse, message: string): AdmissionResponse {
  return { uid: allowed.uid, allowed: false, status: { code: 403, reason: "Forbidden", message } };
}
