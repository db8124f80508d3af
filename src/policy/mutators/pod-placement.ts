// Puts a tenant's pods on its node pool: the pool's nodeSelector entries and tolerations.
// - nodeSelector: only keys the pod lacks are added. A pod that already sets a pool key to another
//   value keeps it, so validation (not a silent rewrite) tells the user they reached another pool.
// - tolerations: appended when no equal toleration is present (operator defaults to Equal, key,
//   value and effect to ""), so repeated admission never duplicates them.
import type { PatchOp } from "../../admission/patch.ts";
import { own, rec, str } from "../../k8s/access.ts";
import type { Toleration } from "../../tenancy/tenant-schema.ts";
import type { Mutator, RuleContext } from "../types.ts";
import { addMissingEntries } from "./patch-maps.ts";
import { podSpec, podTenant } from "./pod-target.ts";

export const podPlacementMutator: Mutator = {
  name: "pod-placement",
  match: [{ group: "", resource: "pods" }],
  operations: ["CREATE"],
  mutate(ctx: RuleContext, out: PatchOp[]): void {
    const tenant = podTenant(ctx);
    const spec = podSpec(ctx);
    if (tenant === undefined || spec === undefined) return;
    addMissingEntries(out, spec, "nodeSelector", "/spec", tenant.nodeSelector);
    const wanted = tenant.tolerations;
    if (wanted.length === 0) return;
    const present = own(spec, "tolerations");
    if (present === undefined || present === null) {
      out.push({ op: "add", path: "/spec/tolerations", value: wanted.map((t) => ({ ...t })) });
      return;
    }
    if (!Array.isArray(present)) return; // not ours to repair; the API server rejects it
    for (const t of wanted) {
      if (!present.some((p) => sameToleration(p, t)))
        out.push({ op: "add", path: "/spec/tolerations/-", value: { ...t } });
    }
  },
};

function sameToleration(p: unknown, t: Toleration): boolean {
  const r = rec(p);
  if (r === undefined) return false;
  const seconds = own(r, "tolerationSeconds");
  return (
    (str(own(r, "key")) ?? "") === (t.key ?? "") &&
    (str(own(r, "operator")) || "Equal") === (t.operator ?? "Equal") &&
    (str(own(r, "value")) ?? "") === (t.value ?? "") &&
    (str(own(r, "effect")) ?? "") === (t.effect ?? "") &&
    (typeof seconds === "number" ? seconds : undefined) === t.tolerationSeconds
  );
}
