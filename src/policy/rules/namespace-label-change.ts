// TG-NS-TENANT-LABEL-CHANGE: adding, changing or removing the tenant label of an existing namespace
// moves ownership, and only an exempt admin may do that. Three Capsule advisories show why each
// case matters:
//  - CVE-2022-46167: a tenant service account allowed to PATCH its own namespace removed the
//    ownership marker and detached the namespace from its tenant, shedding every restriction. So
//    removing (or changing) the label is denied even for the tenant's own owners.
//  - CVE-2024-39690: a tenant owner patched a namespace no tenant had claimed yet and took it over.
//    So adding the label to an unowned namespace is denied too: ownership is set at creation.
//  - CVE-2025-55205: label injection into kube-system / default went through because the webhook
//    only judged namespaces that already belonged to a tenant. So this rule judges every namespace,
//    exempt ones included (the engine does not skip Namespace objects for being exempt).
// The API server persists metadata changes made through the namespaces/status and
// namespaces/finalize subresources (their strategies only reset spec, resp. status), so the rule
// matches those subresources as well as the main resource.
import { labelOf } from "../../k8s/access.ts";
import { labelPath } from "../messages.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { targetNamespace } from "./namespace-target.ts";

export const NS_TENANT_LABEL_CHANGE_CODE = "TG-NS-TENANT-LABEL-CHANGE";

function normal(v: string | undefined): string | undefined {
  return v === "" ? undefined : v;
}

export const namespaceLabelChangeRule: Rule = {
  code: NS_TENANT_LABEL_CHANGE_CODE,
  summary: "only an admin may add, change or remove a namespace's tenant label",
  match: [{ group: "", resource: "namespaces", subresource: "*" }],
  operations: ["UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, requester, settings, view } = ctx;
    if (requester.exempt) return;
    const ns = targetNamespace(req);
    // The API server always sends oldObject on UPDATE; if it is missing, the directory's view of the
    // namespace stands in, so a malformed review cannot slip a label change through.
    const before =
      req.oldObject === undefined
        ? view.tenantOfNamespace(ns)
        : normal(labelOf(req.oldObject, settings.tenantLabel));
    const after = normal(labelOf(req.object, settings.tenantLabel));
    if (before === after) return;
    const what =
      before === undefined
        ? `adds tenant label "${after}" to namespace "${ns}", which no tenant owns (claiming it)`
        : after === undefined
          ? `removes the tenant label from namespace "${ns}" of tenant "${before}" (detaching it)`
          : `moves namespace "${ns}" from tenant "${before}" to tenant "${after}"`;
    const via = req.subResource ? ` through the ${req.subResource} subresource` : "";
    out.push({
      code: NS_TENANT_LABEL_CHANGE_CODE,
      message:
        `"${requester.username}" ${what}${via}; only a cluster admin may change which tenant owns ` +
        `a namespace: keep the tenant label ${before === undefined ? "unset" : `"${before}"`}`,
      path: labelPath(settings.tenantLabel),
      tenant: before ?? after,
    });
  },
};
