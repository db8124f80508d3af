// RBAC subjects -> the tenants they stand for. Shared by the RoleBinding and ClusterRoleBinding
// rules. A ServiceAccount subject counts for the tenant its object's label names, else its
// namespace's; a User for the Tenants listing it as owner (a "system:serviceaccount:ns:name" User
// is that service account); a Group for the Tenants listing it as owner group, and
// system:serviceaccounts:<ns> for the tenant of <ns>. The "everyone" subjects are flagged apart.
import { arr, own, rec, str } from "../../k8s/access.ts";
import type { TenantView } from "../../tenancy/view.ts";
import { NO_TENANTS } from "../../tenancy/view.ts";
import { tenantsOfGroupName, tenantsOfUsername } from "../requester.ts";

/**
 * Subjects that stand for everyone (the RBAC docs' "all authenticated", "all unauthenticated", "all
 * service accounts", and the anonymous user every unauthenticated request runs as): a grant to one
 * reaches every tenant, so both binding kinds treat them alike.
 */
const EVERYONE_GROUPS: ReadonlySet<string> = new Set([
  "system:authenticated",
  "system:unauthenticated",
  "system:serviceaccounts",
]);
const EVERYONE_USERS: ReadonlySet<string> = new Set(["system:anonymous"]);

export interface SubjectInfo {
  readonly index: number;
  /** `User "bob@example.com"`, `ServiceAccount "team-beta/notebook"` */
  readonly label: string;
  readonly tenants: ReadonlySet<string>;
  /** A grant to everyone (system:authenticated and friends): every tenant is reached. */
  readonly everyone: boolean;
}

export function subjectsOf(obj: unknown, bindingNamespace: string, view: TenantView): SubjectInfo[] {
  const out: SubjectInfo[] = [];
  arr(own(rec(obj), "subjects")).forEach((raw, index) => {
    const s = rec(raw);
    const kind = str(own(s, "kind")) ?? "";
    const name = str(own(s, "name")) ?? "";
    if (name === "") return;
    if (kind === "ServiceAccount") {
      // A RoleBinding may leave the namespace out: it defaults to the binding's own.
      const ns = str(own(s, "namespace")) || bindingNamespace;
      if (ns === "") return;
      const owner = view.ownerOfObject("ServiceAccount", ns, name);
      out.push({
        index,
        label: `ServiceAccount "${ns}/${name}"`,
        tenants: owner === undefined ? NO_TENANTS : new Set([owner]),
        everyone: false,
      });
    } else if (kind === "User") {
      out.push({
        index,
        label: `User "${name}"`,
        tenants: tenantsOfUsername(name, view),
        everyone: EVERYONE_USERS.has(name),
      });
    } else if (kind === "Group") {
      out.push({
        index,
        label: `Group "${name}"`,
        tenants: tenantsOfGroupName(name, view),
        everyone: EVERYONE_GROUPS.has(name),
      });
    }
  });
  return out;
}
