// Tenant settings the audit warns about before it reports anything: rule codes in a Tenant's
// spec.enforcement.rules that no rule has (the CRD cannot know the codes; config codes are checked
// when the config loads), and a modelStorage location two tenants claim (which tenant owns it
// would otherwise depend on the order the Tenants were read).
import { didYouMean } from "../config/did-you-mean.ts";
import { RULE_FAILED_CODE } from "../policy/engine.ts";
import type { RuleRegistry } from "../policy/registry.ts";
import type { TenantView } from "../tenancy/view.ts";

export function tenantSettingWarnings(rules: RuleRegistry, view: TenantView): string[] {
  const known = new Set([RULE_FAILED_CODE, ...rules.all.map((r) => r.code)]);
  const out: string[] = [];
  const storage = new Map<string, string>();
  for (const name of [...view.tenantNames()].sort()) {
    const t = view.tenant(name);
    for (const code of t?.ruleModes.keys() ?? [])
      if (!known.has(code))
        out.push(
          `Tenant ${name}: spec.enforcement.rules names unknown rule ${code}${didYouMean(code, known)}`,
        );
    for (const prefix of t?.modelStorage ?? []) {
      const place = prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
      const first = storage.get(place);
      if (first === undefined) storage.set(place, name);
      else if (first !== name)
        out.push(
          `Tenants ${first} and ${name} both claim modelStorage "${prefix}"; a location belongs to one tenant`,
        );
    }
  }
  return out;
}
