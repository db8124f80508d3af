// audit --cluster: tenants whose counted pods already exceed a spec.quota.hard value (a budget
// lowered below usage, or pods created before tenant-guard). Reported, never acted on: running
// pods are not touched; only new pods are denied until usage falls below the budget.
import { own, rec, str, type JsonRecord } from "../k8s/access.ts";
import { chargeOfPod } from "../quota/charge.ts";
import { UsageLedger } from "../quota/ledger.ts";
import { formatAmount } from "../k8s/pod-amounts.ts";
import type { TenantView } from "../tenancy/view.ts";

export function overBudget(pods: readonly JsonRecord[], view: TenantView): string[] {
  const ledger = new UsageLedger((ns) => view.tenantOfNamespace(ns));
  for (const p of pods) {
    const md = rec(own(p, "metadata"));
    const ns = str(own(md, "namespace"));
    const name = str(own(md, "name"));
    if (ns !== undefined && name !== undefined) ledger.setPod(ns, name, chargeOfPod(p));
  }
  const out: string[] = [];
  for (const tenant of view.tenantNames()) {
    const hard = view.tenant(tenant)?.quotaHard;
    if (hard === undefined) continue;
    const used = ledger.tenantUsage(tenant);
    for (const [key, h] of hard) {
      const u = used.get(key) ?? 0;
      if (u <= h.value * (1 + 1e-9)) continue;
      const name =
        key.startsWith("requests.") || key.startsWith("limits.") ? key.slice(key.indexOf(".") + 1) : key;
      out.push(
        `tenant "${tenant}" is over budget: ${key} used ${formatAmount(name, u)}, hard ${h.raw} ` +
          `(running pods are not touched; new pods are denied until usage falls below it)`,
      );
    }
  }
  return out;
}
