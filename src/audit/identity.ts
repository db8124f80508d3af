// Who the offline audit pretends is creating each object. Without --as it is a cluster component,
// which tenant-guard never maps to a tenant: requester rules stay quiet and only the object rules
// speak. With --as/--group it is that user, with the groups the API server would add.
import type { UserInfo } from "../admission/types.ts";
import { parseServiceAccountUser } from "../policy/requester.ts";

/** kube-controller-manager: a real control-plane identity ("system:" users are never tenants). */
export const COMPONENT_USER = "system:kube-controller-manager";

export function auditUser(as: string | undefined, groups: readonly string[]): UserInfo {
  if (as === undefined) {
    return { username: COMPONENT_USER, groups: [...groups, "system:authenticated"] };
  }
  const all = [...groups];
  const sa = parseServiceAccountUser(as);
  // The API server adds these to every service-account token; RBAC and tenant lookups see them.
  if (sa !== undefined) all.push("system:serviceaccounts", `system:serviceaccounts:${sa[0]}`);
  all.push("system:authenticated");
  return { username: as, groups: [...new Set(all)] };
}
