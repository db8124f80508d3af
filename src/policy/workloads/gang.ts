// The whole gang of a workload: how many pods of each replica type its operator creates, each with
// its pod spec, with the defaults the operators apply (read from their defaulting code):
//   Kubeflow Training Operator v1 (PyTorchJob, TFJob, JAXJob, XGBoostJob, PaddleJob): replicas
//     default 1 per replica type; a PyTorchJob with elasticPolicy.minReplicas needs only that many
//     workers to run (torchrun's rendezvous minimum), so its gang counts min(replicas, minReplicas).
//   MPIJob (training-operator v1 and mpi-operator v2beta1): Launcher default 1, Worker default 0.
//   Kubeflow Trainer TrainJob: trainer.numNodes pods with trainer.resourcesPerNode each; numNodes
//     unset is the runtime's (mlPolicy.numNodes, default 1): 1 is the least it can be.
//   JobSet: replicatedJobs[*].replicas (default 1) Jobs of the template's pods each.
//   KubeRay RayCluster (and the clusters RayJob / RayService nest): one head pod; per worker group
//     (suspend: 0) clamp(replicas, minReplicas, maxReplicas) (min > max: max; replicas and min
//     default 0), or minReplicas when in-tree autoscaling is on (the autoscaler may go down to it);
//     times numOfHosts (default 1). KubeRay's GetWorkerGroupDesiredReplicas.
//   Deployment / StatefulSet / ReplicaSet: spec.replicas, default 1.
//   Job: the pods running at once: parallelism (default 1), at most completions when set.
// Counts are the least the workload needs running together, so a gang judged never to fit never can.
import { isRecord, own, rec, type JsonRecord } from "../../k8s/access.ts";
import { compilePath, walk } from "./paths.ts";

export interface GangGroup {
  /** The replica type or group, as the user wrote it ("Worker", "workerGroupSpecs[0]"). */
  readonly name: string;
  /** Pods of this group the operator runs together. */
  readonly count: number;
  /** Field path of the pod spec, for messages. */
  readonly path: string;
  /** One pod's spec (a ResourceRequirements becomes a one-container spec). */
  readonly spec: JsonRecord;
}

/** A count field: a non-negative integer, else the default (the API server validates the schema). */
function count(v: unknown, dflt: number): number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : dflt;
}

function templateSpec(group: unknown): JsonRecord | undefined {
  return rec(own(rec(own(rec(group), "template")), "spec"));
}

/** The segment a walked path ends in: a map key or an array index ("Worker", "[0]"). */
function lastName(path: string): string {
  if (path.endsWith('"]')) return JSON.parse(path.slice(path.lastIndexOf('["') + 1, -1)) as string;
  if (path.endsWith("]")) return path.slice(path.lastIndexOf("["));
  return path.slice(path.lastIndexOf(".") + 1);
}

type Counter = (obj: JsonRecord) => GangGroup[];

/** Training Operator v1 kinds: spec.<field>.<Type> = {replicas, template}. */
function replicaSpecs(field: string, dflt: (type: string) => number, elastic = false): Counter {
  const p = compilePath(`spec.${field}.*`);
  return (obj) => {
    const out: GangGroup[] = [];
    const minWorkers = elastic
      ? own(rec(own(rec(own(obj, "spec")), "elasticPolicy")), "minReplicas")
      : undefined;
    walk(obj, p, (v, path) => {
      const spec = templateSpec(v);
      if (spec === undefined) return;
      const type = lastName(path);
      let n = count(own(rec(v), "replicas"), dflt(type));
      if (type === "Worker" && typeof minWorkers === "number" && minWorkers >= 0) n = Math.min(n, minWorkers);
      out.push({ name: type, count: n, path: `${path}.template.spec`, spec });
    });
    return out;
  };
}

const one = (): number => 1;

/** The pods of a Job running at once (batch/v1 defaulting: parallelism 1). */
function jobPods(jobSpec: unknown): number {
  const par = count(own(rec(jobSpec), "parallelism"), 1);
  const comp = own(rec(jobSpec), "completions");
  return typeof comp === "number" && Number.isInteger(comp) && comp >= 0 ? Math.min(par, comp) : par;
}

function replicated(replicasField: string, jobSpecOf: (o: JsonRecord) => unknown): Counter {
  return (obj) => {
    const spec = rec(own(obj, "spec"));
    const pod = templateSpec(spec);
    if (spec === undefined || pod === undefined) return [];
    const n = replicasField === "" ? jobPods(jobSpecOf(obj)) : count(own(spec, replicasField), 1);
    return [{ name: "replicas", count: n, path: "spec.template.spec", spec: pod }];
  };
}

const JOBSET = compilePath("spec.replicatedJobs.*");

function jobSet(obj: JsonRecord): GangGroup[] {
  const out: GangGroup[] = [];
  walk(obj, JOBSET, (v, path) => {
    const job = rec(own(rec(v), "template"));
    const pod = templateSpec(rec(own(job, "spec")));
    if (pod === undefined) return;
    const name = typeof own(rec(v), "name") === "string" ? (own(rec(v), "name") as string) : lastName(path);
    const n = count(own(rec(v), "replicas"), 1) * jobPods(own(job, "spec"));
    out.push({ name, count: n, path: `${path}.template.spec.template.spec`, spec: pod });
  });
  return out;
}

/** A RayClusterSpec at `prefix` (spec, spec.rayClusterSpec, spec.rayClusterConfig). */
function rayCluster(prefix: string): Counter {
  const workers = compilePath(`${prefix}.workerGroupSpecs.*`);
  const head = compilePath(`${prefix}.headGroupSpec`);
  const cluster = compilePath(prefix);
  return (obj) => {
    const out: GangGroup[] = [];
    walk(obj, head, (v, path) => {
      const spec = templateSpec(v);
      if (spec !== undefined) out.push({ name: "head", count: 1, path: `${path}.template.spec`, spec });
    });
    let autoscaling = false;
    walk(obj, cluster, (v) => (autoscaling = own(rec(v), "enableInTreeAutoscaling") === true));
    walk(obj, workers, (v, path) => {
      const spec = templateSpec(v);
      const g = rec(v);
      if (spec === undefined || g === undefined) return;
      const name = typeof own(g, "groupName") === "string" ? (own(g, "groupName") as string) : lastName(path);
      out.push({ name, count: rayWorkers(g, autoscaling), path: `${path}.template.spec`, spec });
    });
    return out;
  };
}

/** KubeRay's desired replicas of a worker group; the autoscaler's floor when autoscaling is on. */
export function rayWorkers(g: JsonRecord, autoscaling: boolean): number {
  if (own(g, "suspend") === true) return 0;
  const min = count(own(g, "minReplicas"), 0);
  const max = count(own(g, "maxReplicas"), 2147483647);
  const hosts = count(own(g, "numOfHosts"), 1);
  let n: number;
  if (min > max) n = max;
  else if (autoscaling) n = min;
  else {
    const r = own(g, "replicas");
    n = typeof r !== "number" || !Number.isInteger(r) || r < min ? min : Math.min(r, max);
  }
  return n * hosts;
}

/** TrainJob: numNodes pods whose trainer container gets resourcesPerNode. */
function trainJob(obj: JsonRecord): GangGroup[] {
  const trainer = rec(own(rec(own(obj, "spec")), "trainer"));
  const res = rec(own(trainer, "resourcesPerNode"));
  if (trainer === undefined || res === undefined) return [];
  const spec = { containers: [{ name: "node", resources: res }] };
  const n = count(own(trainer, "numNodes"), 1);
  return [{ name: "node", count: n, path: "spec.trainer.resourcesPerNode", spec }];
}

const COUNTERS = new Map<string, Counter>([
  ["kubeflow.org/pytorchjobs", replicaSpecs("pytorchReplicaSpecs", one, true)],
  ["kubeflow.org/tfjobs", replicaSpecs("tfReplicaSpecs", one)],
  ["kubeflow.org/jaxjobs", replicaSpecs("jaxReplicaSpecs", one)],
  ["kubeflow.org/xgboostjobs", replicaSpecs("xgbReplicaSpecs", one)],
  ["kubeflow.org/paddlejobs", replicaSpecs("paddleReplicaSpecs", one)],
  ["kubeflow.org/mpijobs", replicaSpecs("mpiReplicaSpecs", (t) => (t === "Launcher" ? 1 : 0))],
  ["trainer.kubeflow.org/trainjobs", trainJob],
  ["jobset.x-k8s.io/jobsets", jobSet],
  ["ray.io/rayclusters", rayCluster("spec")],
  ["ray.io/rayjobs", rayCluster("spec.rayClusterSpec")],
  ["ray.io/rayservices", rayCluster("spec.rayClusterConfig")],
  ["apps/deployments", replicated("replicas", () => undefined)],
  ["apps/statefulsets", replicated("replicas", () => undefined)],
  ["apps/replicasets", replicated("replicas", () => undefined)],
  ["batch/jobs", replicated("", (o) => own(o, "spec"))],
]);

/** The resources (`group/resource`) whose gangs are counted. */
export const GANG_RESOURCES: readonly { group: string; resource: string }[] = [...COUNTERS.keys()].map(
  (k) => {
    const i = k.indexOf("/");
    return { group: k.slice(0, i), resource: k.slice(i + 1) };
  },
);

/** The gang of `obj` (a `group/resource` object), or undefined when the kind has none counted. */
export function gangOf(group: string, resource: string, obj: unknown): GangGroup[] | undefined {
  const c = COUNTERS.get(`${group}/${resource}`);
  return c === undefined || !isRecord(obj) ? undefined : c(obj);
}
