// Per-tenant budget gauges (spec.quota): used and hard for every budgeted key, read from the
// directory's ledger at scrape time. One series per tenant and key that has a budget only.
import { Gauge, type Registry } from "prom-client";
import type { Directory } from "../tenancy/directory.ts";

export function registerQuotaMetrics(directory: Directory, registers: Registry[]): void {
  const budgets = (visit: (tenant: string, key: string, used: number, hard: number) => void): void => {
    if (!directory.readiness().ready) return;
    const view = directory.view();
    for (const tenant of view.tenantNames()) {
      const hard = view.tenant(tenant)?.quotaHard;
      if (hard === undefined || hard.size === 0) continue;
      const used = view.quotaUsage(tenant);
      for (const [key, h] of hard) visit(tenant, key, used.get(key) ?? 0, h.value);
    }
  };
  new Gauge({
    name: "tenant_guard_quota_used",
    help: "What a tenant's non-terminal pods count against a spec.quota.hard key, over all its namespaces",
    labelNames: ["tenant", "resource"],
    registers,
    collect() {
      this.reset();
      budgets((tenant, resource, used) => this.set({ tenant, resource }, used));
    },
  });
  new Gauge({
    name: "tenant_guard_quota_hard",
    help: "A tenant's spec.quota.hard value per key",
    labelNames: ["tenant", "resource"],
    registers,
    collect() {
      this.reset();
      budgets((tenant, resource, _used, hard) => this.set({ tenant, resource }, hard));
    },
  });
}
