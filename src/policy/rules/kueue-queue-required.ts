// TG-KUEUE-QUEUE-REQUIRED (config kueue.requireQueueFor.resources, e.g. [nvidia.com/gpu]): Kueue
// counts only what it queues. A job or pod in a tenant namespace that requests one of the listed
// resources without naming a queue (the kueue.x-k8s.io/queue-name label, after /mutate gave it the
// tenant's spec.queue) would take GPUs outside every ClusterQueue's quota, so it is denied.
//
// Where Kueue reads the queue: a Kueue job kind's own metadata (Job, JobSet, Kubeflow jobs,
// TrainJob, Ray; a Deployment's or StatefulSet's pod template counts too, Kueue copies it there);
// a CronJob's jobTemplate (or the tenant's spec.queue, which its Jobs get at /mutate); a pod's own
// labels. Other workload kinds (DaemonSet, ReplicaSet, KServe, Argo...) are judged by their pods.
// A pod controlled by a Kueue job kind is its job's (Kueue leaves it to the job's Workload), but
// only when a controller creates it: a tenant identity's ownerReferences are its own words.
import { arr, isRecord, own, rec, str, type JsonRecord } from "../../k8s/access.ts";
import { KUEUE_JOB_KINDS, KUEUE_OWNER_KINDS, KUEUE_QUEUE_LABEL, groupOfApiVersion } from "../../k8s/kueue.ts";
import { parseQuantity } from "../../k8s/quantity.ts";
import { labelPath } from "../messages.ts";
import { objectName } from "../messages.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { podTargets, type PodTargets } from "../workloads/targets.ts";

export const KUEUE_QUEUE_REQUIRED_CODE = "TG-KUEUE-QUEUE-REQUIRED";

const JOB_RESOURCES: ReadonlySet<string> = new Set(KUEUE_JOB_KINDS.map((k) => `${k.group}/${k.resource}`));
/** Kinds whose pod template may carry the queue label instead of their own metadata. */
const TEMPLATE_QUEUED: ReadonlySet<string> = new Set(["apps/deployments", "apps/statefulsets"]);

function queueIn(labelsHolder: unknown): boolean {
  const v = own(rec(own(rec(labelsHolder), "labels")), KUEUE_QUEUE_LABEL);
  return typeof v === "string" && v !== "";
}

/** The first listed resource a ResourceRequirements asks for (request or limit above zero). */
function askedIn(resources: unknown, listed: ReadonlySet<string>): string | undefined {
  for (const kind of ["requests", "limits"]) {
    const list = rec(own(rec(resources), kind));
    if (list === undefined) continue;
    for (const name of listed) if ((parseQuantity(own(list, name)) ?? 0) > 0) return name;
  }
  return undefined;
}

/** The first listed resource any pod of the request asks for. */
function askedResource(t: PodTargets, listed: ReadonlySet<string>): string | undefined {
  for (const { spec } of t.specs) {
    const pod = askedIn(own(spec, "resources"), listed);
    if (pod !== undefined) return pod;
    for (const field of ["initContainers", "containers"])
      for (const c of arr(own(spec, field))) {
        const r = isRecord(c) ? askedIn(own(c, "resources"), listed) : undefined;
        if (r !== undefined) return r;
      }
  }
  for (const { container } of t.containers) {
    const r = askedIn(own(container, "resources"), listed);
    if (r !== undefined) return r;
  }
  for (const { resources } of t.resources) {
    const r = askedIn(resources, listed);
    if (r !== undefined) return r;
  }
  return undefined;
}

/** A controller ownerReference to a kind whose pods Kueue leaves to their owner's Workload. */
function ownedByKueueJob(pod: JsonRecord): boolean {
  for (const ref of arr(own(rec(own(pod, "metadata")), "ownerReferences"))) {
    const r = rec(ref);
    if (own(r, "controller") !== true) continue;
    const kind = `${groupOfApiVersion(str(own(r, "apiVersion")) ?? "")}/${str(own(r, "kind")) ?? ""}`;
    return KUEUE_OWNER_KINDS.has(kind);
  }
  return false;
}

/** Whether the object names a queue where Kueue reads it; undefined for kinds judged by their pods. */
function queued(ctx: RuleContext, obj: JsonRecord): boolean | undefined {
  const { group, resource } = ctx.request.resource;
  const key = `${group}/${resource}`;
  const md = own(obj, "metadata");
  if (key === "/pods") {
    if (queueIn(md)) return true;
    return ctx.requester.tenants.size === 0 && ownedByKueueJob(obj);
  }
  if (key === "batch/cronjobs") {
    const template = rec(own(rec(own(obj, "spec")), "jobTemplate"));
    return (
      queueIn(own(template, "metadata")) || ctx.view.tenant(ctx.namespaceTenant ?? "")?.queue !== undefined
    );
  }
  if (!JOB_RESOURCES.has(key)) return undefined;
  if (queueIn(md)) return true;
  if (!TEMPLATE_QUEUED.has(key)) return false;
  return queueIn(own(rec(own(rec(own(obj, "spec")), "template")), "metadata"));
}

export const kueueQueueRequiredRule: Rule = {
  code: KUEUE_QUEUE_REQUIRED_CODE,
  summary: "with kueue.requireQueueFor, a job or pod requesting a listed resource must name a Kueue queue",
  match: "*",
  operations: ["CREATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const listed = ctx.settings.queueRequiredFor;
    const obj = ctx.request.object;
    if (listed === undefined || listed.size === 0 || ctx.namespaceTenant === undefined) return;
    if (!isRecord(obj) || ctx.request.subResource !== "") return;
    const targets = podTargets(ctx);
    if (targets === undefined) return;
    const is = queued(ctx, obj);
    if (is !== false) return;
    const asked = askedResource(targets, listed);
    if (asked === undefined) return;
    const what = `${ctx.request.kind.kind.toLowerCase()} "${objectName(ctx.request)}" in namespace "${ctx.request.namespace}"`;
    out.push({
      code: KUEUE_QUEUE_REQUIRED_CODE,
      message:
        `${what} requests ${asked} but names no Kueue queue: this cluster queues every workload ` +
        `asking for ${[...listed].sort().join(", ")} (config kueue.requireQueueFor), so its use ` +
        `counts against a ClusterQueue's quota; set the label ${KUEUE_QUEUE_LABEL} to a LocalQueue ` +
        `of the namespace (or ask for the Tenant's spec.queue to be set)`,
      path: labelPath(KUEUE_QUEUE_LABEL),
    });
  },
};
