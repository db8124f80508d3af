// Where pod templates live in the kinds tenant-guard knows out of the box. The Kubernetes workload
// kinds are always checked; the custom resources below are on by default
// (workloads.builtinCustomResources) and config can add or replace any of them
// (workloads.templates). Paths were taken from each project's API reference:
//   Kubeflow Training Operator v1: <framework>ReplicaSpecs.<Master|Worker|...>.template (PodTemplateSpec)
//   Kubeflow Trainer v2 TrainJob:  trainer (image/env/command), trainer.resourcesPerNode (the
//                                  ResourceRequirements of each node's pod), initializer.model.storageUri,
//                                  podTemplateOverrides[*].spec (partial PodSpec)
//   KubeRay ray.io/v1:             headGroupSpec.template, workerGroupSpecs[*].template; RayJob nests a
//                                  RayClusterSpec in rayClusterSpec (+ submitterPodTemplate);
//                                  RayService in rayClusterConfig
//   KServe serving.kserve.io/v1beta1: predictor/transformer/explainer are inline PodSpecs; the model
//                                  and framework specs (sklearn, pytorch, ...) are containers with a
//                                  storageUri; storageUris[*].uri is the multi-URI form; `storage`
//                                  ({key, path, parameters}, ModelStorageSpec) is the form that
//                                  names the location through the storage-config secret
//   JobSet jobset.x-k8s.io/v1alpha2: replicatedJobs[*].template is a JobTemplateSpec
//   Argo Workflows argoproj.io/v1alpha1: the workflow spec and each template carry PodSpec fields
//                                  (serviceAccountName, nodeSelector, tolerations, volumes, ...);
//                                  containers are template.container/script/sidecars/initContainers
export interface WorkloadKindSpec {
  readonly group: string;
  readonly kind: string;
  /** Plural resource name, as the API server sends it in request.resource. */
  readonly resource: string;
  /** Paths to PodTemplateSpecs ({metadata, spec}); the pod spec is `<path>.spec`. */
  readonly templates?: readonly string[];
  /** Paths to objects with PodSpec fields inline (KServe components, Argo templates). */
  readonly podSpecs?: readonly string[];
  /** Paths to single containers (image, env, resources, securityContext). */
  readonly containers?: readonly string[];
  /** Paths to ResourceRequirements ({requests, limits}) each pod gets (Trainer's resourcesPerNode). */
  readonly resources?: readonly string[];
  /** Paths to model storage URIs (strings). */
  readonly modelStorage?: readonly string[];
  /** Paths to KServe StorageSpecs ({key, path, parameters}): a location resolved through a secret. */
  readonly modelStorageSpecs?: readonly string[];
}

const template = (
  group: string,
  kind: string,
  resource: string,
  ...templates: string[]
): WorkloadKindSpec => ({
  group,
  kind,
  resource,
  templates,
});

export const KUBERNETES_WORKLOADS: readonly WorkloadKindSpec[] = [
  template("apps", "Deployment", "deployments", "spec.template"),
  template("apps", "StatefulSet", "statefulsets", "spec.template"),
  template("apps", "DaemonSet", "daemonsets", "spec.template"),
  template("apps", "ReplicaSet", "replicasets", "spec.template"),
  template("batch", "Job", "jobs", "spec.template"),
  template("batch", "CronJob", "cronjobs", "spec.jobTemplate.spec.template"),
  template("", "ReplicationController", "replicationcontrollers", "spec.template"),
  template("", "PodTemplate", "podtemplates", "template"),
];

const rayCluster = (prefix: string): string[] => [
  `${prefix}.headGroupSpec.template`,
  `${prefix}.workerGroupSpecs[*].template`,
];

const KSERVE_FRAMEWORKS = [
  "model",
  "sklearn",
  "xgboost",
  "tensorflow",
  "pytorch",
  "triton",
  "onnx",
  "huggingface",
  "pmml",
  "lightgbm",
  "paddle",
];

const ARGO_SPEC = (p: string): WorkloadKindSpec["podSpecs"] => [p, `${p}.templates[*]`];
const ARGO_CONTAINERS = (p: string): string[] => [
  `${p}.templates[*].container`,
  `${p}.templates[*].script`,
  `${p}.templates[*].sidecars[*]`,
  `${p}.templates[*].containerSet.containers[*]`,
];

export const CUSTOM_RESOURCES: readonly WorkloadKindSpec[] = [
  template("kubeflow.org", "PyTorchJob", "pytorchjobs", "spec.pytorchReplicaSpecs.*.template"),
  template("kubeflow.org", "TFJob", "tfjobs", "spec.tfReplicaSpecs.*.template"),
  template("kubeflow.org", "MPIJob", "mpijobs", "spec.mpiReplicaSpecs.*.template"),
  template("kubeflow.org", "JAXJob", "jaxjobs", "spec.jaxReplicaSpecs.*.template"),
  template("kubeflow.org", "XGBoostJob", "xgboostjobs", "spec.xgbReplicaSpecs.*.template"),
  template("kubeflow.org", "PaddleJob", "paddlejobs", "spec.paddleReplicaSpecs.*.template"),
  {
    group: "trainer.kubeflow.org",
    kind: "TrainJob",
    resource: "trainjobs",
    podSpecs: ["spec.podTemplateOverrides[*].spec"],
    containers: ["spec.trainer"],
    resources: ["spec.trainer.resourcesPerNode"],
    modelStorage: ["spec.initializer.model.storageUri"],
  },
  template("ray.io", "RayCluster", "rayclusters", ...rayCluster("spec")),
  template("ray.io", "RayJob", "rayjobs", ...rayCluster("spec.rayClusterSpec"), "spec.submitterPodTemplate"),
  template("ray.io", "RayService", "rayservices", ...rayCluster("spec.rayClusterConfig")),
  {
    group: "serving.kserve.io",
    kind: "InferenceService",
    resource: "inferenceservices",
    podSpecs: ["spec.predictor", "spec.predictor.workerSpec", "spec.transformer", "spec.explainer"],
    containers: [...KSERVE_FRAMEWORKS.map((f) => `spec.predictor.${f}`), "spec.explainer.art"],
    modelStorage: [
      "spec.predictor.*.storageUri",
      "spec.predictor.*.storageUris[*].uri",
      "spec.predictor.storageUris[*].uri",
      "spec.explainer.*.storageUri",
    ],
    // Not spec.predictor.*.storage: the logger's storage is where request logs go, not a model.
    modelStorageSpecs: [
      ...KSERVE_FRAMEWORKS.map((f) => `spec.predictor.${f}.storage`),
      "spec.explainer.art.storage",
    ],
  },
  template("jobset.x-k8s.io", "JobSet", "jobsets", "spec.replicatedJobs[*].template.spec.template"),
  {
    group: "argoproj.io",
    kind: "Workflow",
    resource: "workflows",
    podSpecs: ARGO_SPEC("spec"),
    containers: ARGO_CONTAINERS("spec"),
  },
  {
    group: "argoproj.io",
    kind: "WorkflowTemplate",
    resource: "workflowtemplates",
    podSpecs: ARGO_SPEC("spec"),
    containers: ARGO_CONTAINERS("spec"),
  },
  {
    group: "argoproj.io",
    kind: "CronWorkflow",
    resource: "cronworkflows",
    podSpecs: ARGO_SPEC("spec.workflowSpec"),
    containers: ARGO_CONTAINERS("spec.workflowSpec"),
  },
];
