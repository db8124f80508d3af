// What every pod check needs to know about the request, resolved once per request: the namespace,
// its tenant and that tenant's compiled policy. Messages are built only when a finding is made.
import type { TenantPolicy } from "../../tenancy/tenant-policy.ts";
import { objectRef, tenantRef } from "../messages.ts";
import { perRequest } from "../per-request.ts";
import type { RuleContext } from "../types.ts";

export interface PodScope {
  readonly ctx: RuleContext;
  readonly namespace: string;
  /** The tenant owning the namespace; undefined for an unowned namespace. */
  readonly tenant: string | undefined;
  readonly policy: TenantPolicy | undefined;
}

/** Built once per request (on ctx.memo, per-request.ts), not once for each of the pod rules. */
export const podScope: (ctx: RuleContext) => PodScope = perRequest((ctx) => {
  const tenant = ctx.namespaceTenant;
  return {
    ctx,
    namespace: ctx.request.namespace,
    tenant,
    policy: tenant === undefined ? undefined : ctx.view.tenant(tenant),
  };
});

/** `pod "web-1" in namespace "alpha-train"`, for messages. */
export function subject(scope: PodScope): string {
  return objectRef(scope.ctx.request);
}

/** `tenant "team-alpha"` or `no tenant`. */
export function ownTenant(scope: PodScope): string {
  return tenantRef(scope.tenant);
}

/**
 * True when something owned by `owner` is out of bounds for the namespace's tenant: another
 * tenant owns it and has not listed the namespace's tenant in its `sharedWith`.
 */
export function crosses(scope: PodScope, owner: string | undefined): owner is string {
  if (owner === undefined || owner === scope.tenant) return false;
  if (scope.tenant === undefined) return true;
  return scope.ctx.view.tenant(owner)?.sharedWith.has(scope.tenant) !== true;
}
