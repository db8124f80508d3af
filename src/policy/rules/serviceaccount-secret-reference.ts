// TG-SA-SECRET-REFERENCE: a service account's `secrets` (mountable secrets) and `imagePullSecrets`
// hand those secrets to every pod that runs as it. A secret labelled for another tenant (made by an
// admin in this namespace for that tenant) may only be referenced when that tenant shares with this
// one. Secrets are looked up in the service account's own namespace: Kubernetes ignores any other.
import { arr, own, rec, str } from "../../k8s/access.ts";
import { objectRef, tenantRef } from "../messages.ts";
import { mayActFor } from "../requester.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

export const SA_SECRET_REFERENCE_CODE = "TG-SA-SECRET-REFERENCE";
const FIELDS = ["secrets", "imagePullSecrets"] as const;

export const saSecretReferenceRule: Rule = {
  code: SA_SECRET_REFERENCE_CODE,
  summary: "a service account may not reference secrets labelled for another tenant",
  match: [{ group: "", resource: "serviceaccounts" }],
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const { request: req, view } = ctx;
    if (req.namespace === "") return;
    const mine = ctx.namespaceTenant;
    for (const field of FIELDS) {
      arr(own(req.object, field)).forEach((ref, i) => {
        const name = str(own(rec(ref), "name"));
        if (name === undefined || name === "") return;
        const owner = view.ownerOfObject("Secret", req.namespace, name);
        if (owner === undefined || owner === mine) return;
        if (mine !== undefined && mayActFor(new Set([mine]), owner, view)) return;
        out.push({
          code: SA_SECRET_REFERENCE_CODE,
          message:
            `${objectRef(req)} (${tenantRef(mine)}) references secret "${name}", which is labelled ` +
            `for tenant "${owner}"; reference a secret of ${tenantRef(mine)}, or have tenant ` +
            `"${owner}" share with ${tenantRef(mine)} (spec.sharedWith)`,
          path: `${field}[${i}].name`,
          victim: owner,
        });
      });
    }
  },
};
