// Which mode governs a finding: config-pinned Enforce > the Tenant's per-rule mode > the Tenant's
// mode > the global per-rule mode > the global mode. Most specific wins, except what config pins.
import type { TenantPolicy } from "../tenancy/tenant-policy.ts";
import type { Mode, PolicySettings } from "./types.ts";

export function resolveMode(code: string, tenant: TenantPolicy | undefined, settings: PolicySettings): Mode {
  const e = settings.enforcement;
  if (e.forced.has(code)) return "Enforce";
  return tenant?.ruleModes.get(code) ?? tenant?.mode ?? e.rules.get(code) ?? e.mode;
}
