// What tenant-guard knows of Kueue (kueue.x-k8s.io): the label a workload names its LocalQueue
// with, and the kinds Kueue manages as workloads (its mutating webhooks, charts/kueue in
// kubernetes-sigs/kueue), each with where Kueue reads the queue name.

/** The label Kueue reads a workload's LocalQueue from; its value is a LocalQueue in the namespace. */
export const KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name";

export const KUEUE_GROUP = "kueue.x-k8s.io";

export interface KueueJobKind {
  readonly group: string;
  readonly resource: string;
  readonly kind: string;
}

/**
 * Kinds Kueue queues by the queue-name label on their own metadata (a Deployment's and a
 * StatefulSet's are copied by Kueue into the pod template). Pods are the plain-pod integration.
 */
export const KUEUE_JOB_KINDS: readonly KueueJobKind[] = [
  { group: "batch", resource: "jobs", kind: "Job" },
  { group: "apps", resource: "deployments", kind: "Deployment" },
  { group: "apps", resource: "statefulsets", kind: "StatefulSet" },
  { group: "jobset.x-k8s.io", resource: "jobsets", kind: "JobSet" },
  { group: "kubeflow.org", resource: "pytorchjobs", kind: "PyTorchJob" },
  { group: "kubeflow.org", resource: "tfjobs", kind: "TFJob" },
  { group: "kubeflow.org", resource: "mpijobs", kind: "MPIJob" },
  { group: "kubeflow.org", resource: "jaxjobs", kind: "JAXJob" },
  { group: "kubeflow.org", resource: "xgboostjobs", kind: "XGBoostJob" },
  { group: "kubeflow.org", resource: "paddlejobs", kind: "PaddleJob" },
  { group: "trainer.kubeflow.org", resource: "trainjobs", kind: "TrainJob" },
  { group: "ray.io", resource: "rayjobs", kind: "RayJob" },
  { group: "ray.io", resource: "rayclusters", kind: "RayCluster" },
  { group: "ray.io", resource: "rayservices", kind: "RayService" },
];

/** Owner kinds (group/Kind) whose pods Kueue leaves to their owner's workload. */
export const KUEUE_OWNER_KINDS: ReadonlySet<string> = new Set([
  ...KUEUE_JOB_KINDS.filter((k) => k.group !== "apps").map((k) => `${k.group}/${k.kind}`),
  "leaderworkerset.x-k8s.io/LeaderWorkerSet",
  "workload.codeflare.dev/AppWrapper",
  "sparkoperator.k8s.io/SparkApplication",
]);

/** The Kubernetes API group of an ownerReference's apiVersion ("batch/v1" -> "batch", "v1" -> ""). */
export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}
