// What every pod mutator starts from: the pod's spec and its tenant's compiled policy, or nothing
// when the pod is not in a tenant namespace (unowned namespaces are not mutated).
import { isRecord, own, type JsonRecord } from "../../k8s/access.ts";
import type { TenantPolicy } from "../../tenancy/tenant-policy.ts";
import type { RuleContext } from "../types.ts";

export function podTenant(ctx: RuleContext): TenantPolicy | undefined {
  const name = ctx.namespaceTenant;
  return name === undefined ? undefined : ctx.view.tenant(name);
}

/** spec of the pod, when the object has one that is a map. */
export function podSpec(ctx: RuleContext): JsonRecord | undefined {
  const spec = own(ctx.request.object, "spec");
  return isRecord(spec) ? spec : undefined;
}
