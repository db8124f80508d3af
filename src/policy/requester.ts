// Who is asking: userInfo -> the tenants it acts for. Cluster components (system users, nodes,
// controllers in exempt namespaces, system:masters) and configured exempt identities are never
// mistaken for tenants.
import type { UserInfo } from "../admission/types.ts";
import type { TenantView } from "../tenancy/view.ts";
import { NO_TENANTS } from "../tenancy/view.ts";
import type { PolicySettings, Requester } from "./types.ts";

const SA_PREFIX = "system:serviceaccount:";
const COMPONENT_GROUPS = new Set(["system:masters", "system:nodes"]);
/** Groups every caller has: they say nothing about a tenant. */
const UNIVERSAL_GROUPS = new Set([
  "system:authenticated",
  "system:unauthenticated",
  "system:serviceaccounts",
]);

/** "system:serviceaccount:ns:name" -> [ns, name]. */
export function parseServiceAccountUser(username: string): [string, string] | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const rest = username.slice(SA_PREFIX.length);
  const i = rest.indexOf(":");
  if (i <= 0 || i === rest.length - 1) return undefined;
  return [rest.slice(0, i), rest.slice(i + 1)];
}

export function resolveRequester(user: UserInfo, view: TenantView, settings: PolicySettings): Requester {
  const username = user.username;
  const exempt = isExempt(user, settings);
  if (exempt) return { username, tenants: NO_TENANTS, exempt };
  let tenants: Set<string> | undefined;
  const add = (set: ReadonlySet<string>): void => {
    if (set.size === 0) return;
    tenants ??= new Set();
    for (const t of set) tenants.add(t);
  };
  const sa = parseServiceAccountUser(username);
  if (sa !== undefined) {
    const owner = view.ownerOfObject("ServiceAccount", sa[0], sa[1]);
    if (owner !== undefined) add(new Set([owner]));
  }
  add(view.tenantsOfUser(username));
  for (const g of user.groups) if (!UNIVERSAL_GROUPS.has(g)) add(view.tenantsOfGroup(g));
  return { username, tenants: tenants ?? NO_TENANTS, exempt: false };
}

function isExempt(user: UserInfo, settings: PolicySettings): boolean {
  const u = user.username;
  if (settings.exemptUsers.has(u)) return true;
  for (const g of user.groups) if (COMPONENT_GROUPS.has(g) || settings.exemptGroups.has(g)) return true;
  const sa = parseServiceAccountUser(u);
  if (sa !== undefined) return settings.exemptNamespaces.has(sa[0]);
  // Any other "system:" user is a control-plane component (kube-controller-manager, scheduler, nodes).
  return u.startsWith("system:");
}
