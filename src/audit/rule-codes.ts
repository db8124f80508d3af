// Rule codes named in enforcement settings that no rule has: a typo in `forced` would silently
// leave a rule downgradable, so the audit says so before it reports anything.
import { INTERNAL_CODE } from "../policy/engine.ts";
import type { RuleRegistry } from "../policy/registry.ts";
import type { PolicySettings } from "../policy/types.ts";
import type { TenantView } from "../tenancy/view.ts";

export function unknownRuleCodes(settings: PolicySettings, rules: RuleRegistry, view: TenantView): string[] {
  const known = new Set([INTERNAL_CODE, ...rules.all.map((r) => r.code)]);
  const out: string[] = [];
  for (const code of settings.enforcement.forced)
    if (!known.has(code)) out.push(`config enforcement.forced names unknown rule ${code}`);
  for (const code of settings.enforcement.rules.keys())
    if (!known.has(code)) out.push(`config enforcement.rules names unknown rule ${code}`);
  for (const name of view.tenantNames()) {
    for (const code of view.tenant(name)?.ruleModes.keys() ?? [])
      if (!known.has(code)) out.push(`Tenant ${name}: spec.enforcement.rules names unknown rule ${code}`);
  }
  return out;
}
