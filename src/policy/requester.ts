// Who is asking: userInfo -> the tenants it acts for. Cluster components (control-plane users,
// kubelets, system:masters, service accounts of exempt namespaces) and configured exempt identities
// are never mistaken for tenants: they are "exempt" and act for no tenant.
import type { UserInfo } from "../admission/types.ts";
import type { TenantView } from "../tenancy/view.ts";
import { NO_TENANTS } from "../tenancy/view.ts";
import type { PolicySettings, Requester } from "./types.ts";

const SA_PREFIX = "system:serviceaccount:";
const SA_GROUP_PREFIX = "system:serviceaccounts:";
/**
 * Groups whose members are the control plane or kubelets. A kubelet ("system:node:<name>") is
 * recognised by its system:nodes group, as the Node authorizer does: the user name alone is not
 * proof, and a name without the group gets no node powers from Kubernetes either.
 */
const COMPONENT_GROUPS: ReadonlySet<string> = new Set(["system:masters", "system:nodes"]);
/**
 * Control-plane users by name. Only these: a blanket "system:*" exemption would also exempt
 * system:anonymous and any malformed "system:serviceaccount:..." name an authenticator lets through.
 * Anything else (a cloud controller with its own user, say) goes in requesters.exemptUsers.
 */
const COMPONENT_USERS: ReadonlySet<string> = new Set([
  "system:apiserver",
  "system:kube-controller-manager",
  "system:kube-scheduler",
  "system:kube-proxy",
  "system:volume-scheduler",
  "system:cloud-controller-manager",
]);
/** Groups every caller of a kind has: they say nothing about a tenant. */
const UNIVERSAL_GROUPS: ReadonlySet<string> = new Set([
  "system:authenticated",
  "system:unauthenticated",
  "system:serviceaccounts",
]);

/** "system:serviceaccount:ns:name" -> [ns, name]; anything else (or a malformed name) -> undefined. */
export function parseServiceAccountUser(username: string): [string, string] | undefined {
  if (!username.startsWith(SA_PREFIX)) return undefined;
  const rest = username.slice(SA_PREFIX.length);
  const i = rest.indexOf(":");
  if (i <= 0 || i === rest.length - 1 || rest.indexOf(":", i + 1) !== -1) return undefined;
  return [rest.slice(0, i), rest.slice(i + 1)];
}

/** "system:serviceaccounts:ns" -> ns (the group of every service account of a namespace). */
export function parseServiceAccountGroup(group: string): string | undefined {
  if (!group.startsWith(SA_GROUP_PREFIX)) return undefined;
  const ns = group.slice(SA_GROUP_PREFIX.length);
  return ns === "" || ns.includes(":") ? undefined : ns;
}

/**
 * The tenants a username stands for: the tenant of the service account it names (its own tenant
 * label, else its namespace's), and every Tenant listing it among its owners.
 */
export function tenantsOfUsername(username: string, view: TenantView): ReadonlySet<string> {
  const owners = view.tenantsOfUser(username);
  const sa = parseServiceAccountUser(username);
  const saTenant = sa === undefined ? undefined : view.ownerOfObject("ServiceAccount", sa[0], sa[1]);
  if (saTenant === undefined || owners.has(saTenant)) return owners;
  return owners.size === 0 ? new Set([saTenant]) : new Set([...owners, saTenant]);
}

/** The tenants a group stands for: Tenants listing it as owner, or the tenant of system:serviceaccounts:<ns>. */
export function tenantsOfGroupName(group: string, view: TenantView): ReadonlySet<string> {
  if (UNIVERSAL_GROUPS.has(group)) return NO_TENANTS;
  const owners = view.tenantsOfGroup(group);
  const ns = parseServiceAccountGroup(group);
  const nsTenant = ns === undefined ? undefined : view.tenantOfNamespace(ns);
  if (nsTenant === undefined || owners.has(nsTenant)) return owners;
  return owners.size === 0 ? new Set([nsTenant]) : new Set([...owners, nsTenant]);
}

export function resolveRequester(user: UserInfo, view: TenantView, settings: PolicySettings): Requester {
  const username = user.username;
  if (isExempt(user, settings)) return { username, tenants: NO_TENANTS, exempt: true };
  let tenants: Set<string> | undefined;
  const add = (set: ReadonlySet<string>): void => {
    if (set.size === 0) return;
    tenants ??= new Set();
    for (const t of set) tenants.add(t);
  };
  add(tenantsOfUsername(username, view));
  for (const g of user.groups) add(tenantsOfGroupName(g, view));
  return { username, tenants: tenants ?? NO_TENANTS, exempt: false };
}

function isExempt(user: UserInfo, settings: PolicySettings): boolean {
  const u = user.username;
  if (settings.exemptUsers.has(u) || COMPONENT_USERS.has(u)) return true;
  for (const g of user.groups) if (COMPONENT_GROUPS.has(g) || settings.exemptGroups.has(g)) return true;
  const sa = parseServiceAccountUser(u);
  return sa !== undefined && settings.exemptNamespaces.has(sa[0]);
}

/**
 * May an identity acting for `actors` write in a namespace of `target`? Yes when it acts for the
 * target itself, or the target's Tenant lists one of its tenants in spec.sharedWith.
 */
export function mayActFor(actors: ReadonlySet<string>, target: string, view: TenantView): boolean {
  if (actors.has(target)) return true;
  const shared = view.tenant(target)?.sharedWith;
  if (shared === undefined || shared.size === 0) return false;
  for (const a of actors) if (shared.has(a)) return true;
  return false;
}

/** `"team-beta"` or `"team-beta", "team-gamma"`, sorted so messages are stable. */
export function tenantList(tenants: Iterable<string>): string {
  return [...tenants]
    .sort()
    .map((t) => `"${t}"`)
    .join(", ");
}
