// Namespace creation. The tenant label on a namespace IS ownership, so setting it is an authority
// decision, not a claim a user may simply make:
//
// TG-NS-CREATE-NON-OWNER: a namespace created with tenant T's label by someone who does not act for
//   T (a Tenant owner user / group / service account, or a service account of T's namespaces) and
//   is not an exempt admin. Otherwise anyone allowed to create namespaces could plant one in T.
//   A namespace named like an exempt namespace never gets a tenant label from a non-admin: tenant-
//   guard does not look inside exempt namespaces, so it would be a tenant namespace nobody guards.
// TG-NS-CREATE-UNLABELLED: a tenant identity creating a namespace WITHOUT a tenant label. Capsule
//   assigns such a namespace to the creator's tenant; tenant-guard does not guess (an owner of two
//   tenants would be ambiguous) and denies instead, naming the label to add. Allowing it would let a
//   tenant make an unowned namespace where no tenant rule (node pool, quotas, registries) applies.
//   Identities that act for no tenant are not checked (RBAC decides who creates namespaces).
import { labelOf } from "../../k8s/access.ts";
import { labelPath } from "../messages.ts";
import { tenantList } from "../requester.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { targetNamespace } from "./namespace-target.ts";

export const NS_CREATE_NON_OWNER_CODE = "TG-NS-CREATE-NON-OWNER";
export const NS_CREATE_UNLABELLED_CODE = "TG-NS-CREATE-UNLABELLED";

const NAMESPACES = [{ group: "", resource: "namespaces" }];

export const namespaceCreateNonOwnerRule: Rule = {
  code: NS_CREATE_NON_OWNER_CODE,
  summary: "only a tenant's owners (or an admin) may create a namespace labelled for it",
  match: NAMESPACES,
  operations: ["CREATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { requester, settings, view } = ctx;
    if (requester.exempt) return;
    const tenant = labelOf(ctx.request.object, settings.tenantLabel);
    if (tenant === undefined || tenant === "") return;
    const ns = targetNamespace(ctx.request) || "(generated name)";
    const path = labelPath(settings.tenantLabel);
    if (settings.exemptNamespaces.has(ns)) {
      out.push({
        code: NS_CREATE_NON_OWNER_CODE,
        message:
          `namespace "${ns}" is exempt from tenant-guard and cannot be labelled for tenant ` +
          `"${tenant}"; choose another name`,
        path,
        tenant,
      });
      return;
    }
    if (requester.tenants.has(tenant)) return;
    const acts =
      requester.tenants.size === 0
        ? "acts for no tenant"
        : `acts for tenant ${tenantList(requester.tenants)}`;
    const known = view.tenant(tenant) === undefined ? ` (tenant "${tenant}" has no Tenant object)` : "";
    out.push({
      code: NS_CREATE_NON_OWNER_CODE,
      message:
        `namespace "${ns}" is labelled for tenant "${tenant}"${known}, but "${requester.username}" ` +
        `${acts} and is not an owner of "${tenant}"; ask an owner of "${tenant}" or a cluster ` +
        `admin to create it, or label it for your own tenant`,
      path,
      tenant,
    });
  },
};

export const namespaceCreateUnlabelledRule: Rule = {
  code: NS_CREATE_UNLABELLED_CODE,
  summary: "a tenant identity must label the namespaces it creates for its tenant",
  match: NAMESPACES,
  operations: ["CREATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { requester, settings } = ctx;
    if (requester.exempt || requester.tenants.size === 0) return;
    const tenant = labelOf(ctx.request.object, settings.tenantLabel);
    if (tenant !== undefined && tenant !== "") return;
    const ns = targetNamespace(ctx.request) || "(generated name)";
    const only = requester.tenants.size === 1 ? [...requester.tenants][0] : undefined;
    const add = only === undefined ? `one of ${tenantList(requester.tenants)}` : `"${only}"`;
    out.push({
      code: NS_CREATE_UNLABELLED_CODE,
      message:
        `namespace "${ns}" has no "${settings.tenantLabel}" label, but "${requester.username}" acts ` +
        `for tenant ${tenantList(requester.tenants)}; set the label to ${add}: a namespace no ` +
        `tenant owns escapes every tenant rule`,
      path: labelPath(settings.tenantLabel),
      tenant: only,
    });
  },
};
