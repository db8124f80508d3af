// After the rules allowed a pod create (or a counted object's, count/<resource>.<group>), charge it
// to the tenant's ledger in the API server (api-ledger.ts) when the tenant has a budget the quota
// rule enforces on one of its keys. Dry runs charge nothing
// (the webhook declares sideEffects: NoneOnDryRun); they were judged by the rule on informer usage.
import type { AdmissionRequest, AdmissionResponse } from "../admission/types.ts";
import { isRecord, nameOf } from "../k8s/access.ts";
import { resolveMode } from "../policy/enforcement.ts";
import { QUOTA_EXCEEDED, chargeOfRequest } from "../policy/rules/quota.ts";
import type { PolicySettings } from "../policy/types.ts";
import type { TenantView } from "../tenancy/view.ts";
import type { ApiLedger } from "../quota/api-ledger.ts";
import { countedEntryName } from "../quota/object-count.ts";
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
  if (r.operation !== "CREATE" || r.dryRun) return undefined;
  // Exempt namespaces never reach the rules (engine.ts): nor the ledger.
  if (r.subResource || settings.exemptNamespaces.has(r.namespace)) return undefined;
  const tenant = r.namespace ? view.tenantOfNamespace(r.namespace) : undefined;
  if (tenant === undefined) return undefined;
  const policy = view.tenant(tenant);
  if (policy === undefined || policy.quotaHard.size === 0) return undefined;
  if (resolveMode(QUOTA_EXCEEDED, policy, settings) !== "Enforce") return undefined;
  const charge = chargeOfRequest(r);
  // A create none of whose keys is budgeted (a Secret under a GPU-only budget) charges nothing.
  if (charge === undefined || !charge.keys.some((k) => policy.quotaHard.has(k))) return undefined;
  const name = r.name || (isRecord(r.object) ? nameOf(r.object) : undefined) || r.uid;
  const isPod = r.resource.group === "" && r.resource.resource === "pods";
  // The entry the informers recognise once the object exists: ns/name, ns/<resource>.<group>/name.
  const pod = `${r.namespace}/${isPod ? name : countedEntryName(r.resource.group, r.resource.resource, name)}`;
  const what = isPod ? `pod "${pod}"` : `${r.resource.resource} "${r.namespace}/${name}"`;
  return {
    tenant,
    pod,
    async run(ledger: ApiLedger): Promise<string | undefined> {
      const res = await ledger.charge(tenant, pod, charge, policy.quotaHard, () => view.quotaUsage(tenant));
      if (res.kind === "charged") return undefined;
      if (res.kind === "failed")
        return (
          `[${QUOTA_EXCEEDED}] ${what} of tenant "${tenant}" could not be charged to the tenant's ` +
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
        `[${QUOTA_EXCEEDED}] ${what} would take tenant "${tenant}" past its budget ` +
        `(spec.quota.hard, counting creates admitted but not yet seen): ${lines.join("; ")}; ` +
        (isPod
          ? "ask for less, wait for pods to finish, or ask an admin to raise the budget"
          : `delete ${r.resource.resource} the tenant no longer needs, or ask an admin to raise the budget`)
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
