// TG-SECRET-SA-TOKEN: a Secret of type kubernetes.io/service-account-token is filled by the token
// controller with a long-lived token of the service account its annotation names (in the secret's
// own namespace). If that service account belongs to another tenant (it carries that tenant's
// label), whoever can read the secret becomes that tenant. Label mismatch on the secret itself is
// TG-TENANT-LABEL's job.
import { mapGet, own, metadataOf, str } from "../../k8s/access.ts";
import { objectRef, tenantRef } from "../messages.ts";
import { mayActFor } from "../requester.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

export const SECRET_SA_TOKEN_CODE = "TG-SECRET-SA-TOKEN";
const SA_TOKEN_TYPE = "kubernetes.io/service-account-token";
const SA_NAME_ANNOTATION = "kubernetes.io/service-account.name";

export const secretSaTokenRule: Rule = {
  code: SECRET_SA_TOKEN_CODE,
  summary: "a service-account token secret may not name another tenant's service account",
  match: [{ group: "", resource: "secrets" }],
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, view } = ctx;
    if (req.namespace === "" || str(own(req.object, "type")) !== SA_TOKEN_TYPE) return;
    const sa = mapGet(own(metadataOf(req.object), "annotations"), SA_NAME_ANNOTATION);
    if (sa === undefined || sa === "") return;
    const saOwner = view.ownerOfObject("ServiceAccount", req.namespace, sa);
    const mine = ctx.namespaceTenant;
    if (saOwner === undefined || saOwner === mine) return;
    if (mine !== undefined && mayActFor(new Set([mine]), saOwner, view)) return;
    out.push({
      code: SECRET_SA_TOKEN_CODE,
      message:
        `${objectRef(req)} (${tenantRef(mine)}) is a token for service account "${sa}", which ` +
        `belongs to tenant "${saOwner}"; name a service account of ${tenantRef(mine)}, or have ` +
        `tenant "${saOwner}" share with ${tenantRef(mine)} (spec.sharedWith)`,
      path: `metadata.annotations["${SA_NAME_ANNOTATION}"]`,
      victim: saOwner,
    });
  },
};
