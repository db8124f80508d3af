// Which mode governs a finding. Most specific wins, except what config pins:
//
//   1. config `enforcement.forced` (pinned to Enforce: no Tenant can downgrade it)
//   2. the Tenant's `spec.enforcement.rules[CODE]`
//   3. the rule's suggested mode (Finding.mode: e.g. Warn when rbac.clusterRoleBindings is "warn"),
//      unless config `enforcement.rules` names the code
//   4. the Tenant's `spec.enforcement.mode`
//   5. config `enforcement.rules[CODE]`
//   6. config `enforcement.mode`
//
// A Tenant setting beats a global per-rule one (as a Kyverno namespace override beats a policy's
// action): the Tenant names the objects it governs, the global rule setting is a fleet default.
// A rule's suggestion comes from config about that rule, so it beats the blanket modes, but any
// setting that names the rule code beats it.
//
// A finding that protects another tenant (Finding.victim: its pool, object or label) is resolved
// for that tenant too and the stricter mode applies (engine.ts resolve), so one tenant's Audit
// never weakens another's Enforce.
import type { TenantPolicy } from "../tenancy/tenant-policy.ts";
import type { Mode, PolicySettings } from "./types.ts";

/**
 * Where a finding's mode came from, for logs and audit reports. "victim": the mode resolved for the
 * tenant the finding protects (Finding.victim) was stricter than the finding's own (engine.ts).
 */
export type ModeSource =
  "forced" | "tenant-rule" | "global-rule" | "rule-default" | "tenant" | "global" | "victim";

export interface ResolvedMode {
  readonly mode: Mode;
  readonly source: ModeSource;
}

export function explainMode(
  code: string,
  tenant: TenantPolicy | undefined,
  settings: PolicySettings,
  suggested?: Mode,
): ResolvedMode {
  const e = settings.enforcement;
  if (e.forced.has(code)) return { mode: "Enforce", source: "forced" };
  const tenantRule = tenant?.ruleModes.get(code);
  if (tenantRule !== undefined) return { mode: tenantRule, source: "tenant-rule" };
  const globalRule = e.rules.get(code);
  if (suggested !== undefined && globalRule === undefined) return { mode: suggested, source: "rule-default" };
  if (tenant?.mode !== undefined) return { mode: tenant.mode, source: "tenant" };
  if (globalRule !== undefined) return { mode: globalRule, source: "global-rule" };
  return { mode: e.mode, source: "global" };
}

export function resolveMode(
  code: string,
  tenant: TenantPolicy | undefined,
  settings: PolicySettings,
  suggested?: Mode,
): Mode {
  return explainMode(code, tenant, settings, suggested).mode;
}
