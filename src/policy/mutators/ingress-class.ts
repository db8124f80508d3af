// Gives an Ingress created in a tenant namespace its tenant's spec.ingress.defaultClass when it
// names no class (neither spec.ingressClassName nor the kubernetes.io/ingress.class annotation).
//
// Limit: the built-in DefaultIngressClass admission plugin runs before mutating webhooks and
// writes the cluster's default IngressClass (ingressclass.kubernetes.io/is-default-class) into
// Ingresses naming none; such an Ingress counts as naming a class and is left alone (and
// TG-INGRESS-CLASS then judges that class).
import type { PatchOp } from "../../admission/patch.ts";
import { isRecord, own } from "../../k8s/access.ts";
import { ingressClasses } from "../rules/ingress-boundaries.ts";
import type { Mutator, RuleContext } from "../types.ts";

export const ingressClassMutator: Mutator = {
  name: "ingress-class",
  match: [{ group: "networking.k8s.io", resource: "ingresses" }],
  operations: ["CREATE"],
  mutate(ctx: RuleContext, out: PatchOp[]): void {
    const tenant = ctx.namespaceTenant === undefined ? undefined : ctx.view.tenant(ctx.namespaceTenant);
    const className = tenant?.ingressDefaultClass;
    const obj = ctx.request.object;
    if (className === undefined || ctx.request.subResource !== "" || ingressClasses(obj).size > 0) return;
    if (isRecord(own(obj, "spec"))) out.push({ op: "add", path: "/spec/ingressClassName", value: className });
    else out.push({ op: "add", path: "/spec", value: { ingressClassName: className } });
  },
};
