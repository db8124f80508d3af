// Sets a tenant's spec.namespaces.labels (Pod Security levels) on its namespaces at creation. Unlike
// pods' podDefaults, a value the creator wrote is overwritten: these labels are the platform's
// boundary, not attribution (TG-NS-LABELS denies changing them later). Only changed keys are patched,
// so a second run (reinvocation) patches nothing.
import { escapePointer, type PatchOp } from "../../admission/patch.ts";
import { labelOf, mapGet, metadataOf } from "../../k8s/access.ts";
import type { Mutator, RuleContext } from "../types.ts";
import { isReservedKey } from "../rules/namespace-options.ts";
import { mapField } from "./patch-maps.ts";

export const namespaceLabelsMutator: Mutator = {
  name: "namespace-labels",
  match: [{ group: "", resource: "namespaces" }],
  operations: ["CREATE"],
  mutate(ctx: RuleContext, out: PatchOp[]): void {
    const tenant = labelOf(ctx.request.object, ctx.settings.tenantLabel);
    const pinned = tenant ? ctx.view.tenant(tenant)?.spec.namespaces?.labels : undefined;
    const md = metadataOf(ctx.request.object);
    if (pinned === undefined || md === undefined) return;
    // The tenant label was read from this map, so it is there.
    const labels = mapField(md, "labels");
    if (!labels) return;
    for (const key of Object.keys(pinned)) {
      if (isReservedKey(key, ctx.settings.tenantLabel)) continue;
      const want = pinned[key] as string;
      if (mapGet(labels, key) === want) continue;
      const op = Object.hasOwn(labels, key) ? "replace" : "add";
      out.push({ op, path: `/metadata/labels/${escapePointer(key)}`, value: want });
    }
  },
};
