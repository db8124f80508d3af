// TG-REQUESTER-CROSS-TENANT: an identity acting for one tenant (a service account of its
// namespaces, a Tenant owner user / group / service account) writes, deletes, execs, attaches,
// port-forwards or patches in a namespace of ANOTHER tenant. This is the clearest boundary crossing
// there is, and it catches RBAC mistakes (a RoleBinding that grants too much) whatever the kind.
// Matches every request, including subresources (pods/exec, pods/ephemeralcontainers, namespaces/
// status, ...). Token requests have their own code (TG-TOKEN-CROSS-TENANT) and are skipped here.
import type { AdmissionRequest } from "../../admission/types.ts";
import { objectName } from "../messages.ts";
import { mayActFor, tenantList } from "../requester.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { isNamespaceResource, targetNamespace } from "./namespace-target.ts";
import { isTokenRequest } from "./token-cross-tenant.ts";

export const REQUESTER_CROSS_TENANT_CODE = "TG-REQUESTER-CROSS-TENANT";

const CONNECT_VERBS: Readonly<Record<string, string>> = {
  exec: "exec into",
  attach: "attach to",
  portforward: "port-forward to",
  proxy: "proxy to",
};

function verb(req: AdmissionRequest): string {
  if (req.operation === "CONNECT") return CONNECT_VERBS[req.subResource] ?? "connect to";
  return req.operation.toLowerCase();
}

const SINGULAR: Readonly<Record<string, string>> = { pods: "pod", namespaces: "namespace" };

/** `pod "web-1"`, `pods/ephemeralcontainers of pod "web-1"`, `secret "s3"`. */
function target(req: AdmissionRequest): string {
  const r = req.resource.resource;
  const main = `${SINGULAR[r] ?? (req.subResource ? r : req.kind.kind.toLowerCase() || r)} "${objectName(req)}"`;
  if (!req.subResource || req.operation === "CONNECT") return main;
  return `${r}/${req.subResource} of ${main}`;
}

export const requesterCrossTenantRule: Rule = {
  code: REQUESTER_CROSS_TENANT_CODE,
  summary: "an identity of one tenant may not act in another tenant's namespace unless shared",
  match: "*",
  operations: ["CREATE", "UPDATE", "DELETE", "CONNECT"],
  judgesRequester: true,
  check(ctx: RuleContext, out: Finding[]): void {
    const { requester, request: req, view } = ctx;
    if (requester.exempt || requester.tenants.size === 0 || isTokenRequest(req)) return;
    const ns = targetNamespace(req);
    if (ns === "") return;
    const owner = ns === req.namespace ? ctx.namespaceTenant : view.tenantOfNamespace(ns);
    if (owner === undefined || mayActFor(requester.tenants, owner, view)) return;
    const actors = tenantList(requester.tenants);
    // A Namespace is its own target: "namespace "x", which belongs to ..." needs no "in namespace".
    const where = isNamespaceResource(req) ? "" : ` in namespace "${ns}"`;
    out.push({
      code: REQUESTER_CROSS_TENANT_CODE,
      message:
        `"${requester.username}" acts for tenant ${actors} and may not ${verb(req)} ${target(req)}` +
        `${where}, which belongs to tenant "${owner}"; use an identity of "${owner}", or have ` +
        `tenant "${owner}" list ${actors} in spec.sharedWith of its Tenant`,
      path: "userInfo.username",
      tenant: owner,
      victim: owner,
    });
  },
};
