// Gives a job created in a tenant namespace its tenant's spec.queue as the Kueue queue-name label
// when it names no queue, so Kueue queues it in the tenant's LocalQueue. A queue-name already set
// (to any value, "" included) is the author's decision and is kept; TG-KUEUE-LOCALQUEUE and
// Kueue itself judge the queue. Pods get the label with the tenant's pod labels (pod-labels.ts).
//
// Only CREATE: Kueue reads the label when it makes the job's Workload, and rejects changing it on a
// running job. Templates are not mutated (GitOps drift, catalogue.ts): Kueue copies a Deployment's
// and a StatefulSet's label into their pod templates itself, and their pods are labelled here anyway.
import type { PatchOp } from "../../admission/patch.ts";
import { isRecord, metadataOf } from "../../k8s/access.ts";
import { KUEUE_JOB_KINDS, KUEUE_QUEUE_LABEL } from "../../k8s/kueue.ts";
import type { Mutator, RuleContext } from "../types.ts";
import { addMissingEntries } from "./patch-maps.ts";
import { podTenant } from "./pod-target.ts";

export const queueNameMutator: Mutator = {
  name: "queue-name",
  match: KUEUE_JOB_KINDS.map(({ group, resource }) => ({ group, resource })),
  operations: ["CREATE"],
  mutate(ctx: RuleContext, out: PatchOp[]): void {
    const queue = podTenant(ctx)?.queue;
    const obj = ctx.request.object;
    if (queue === undefined || ctx.request.subResource !== "" || !isRecord(obj)) return;
    const md = metadataOf(obj);
    // The API server always sends metadata; a hand-made review might not.
    if (md === undefined)
      out.push({ op: "add", path: "/metadata", value: { labels: { [KUEUE_QUEUE_LABEL]: queue } } });
    else addMissingEntries(out, md, "labels", "/metadata", { [KUEUE_QUEUE_LABEL]: queue });
  },
};
