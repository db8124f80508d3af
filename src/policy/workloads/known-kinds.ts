// Where pod templates live in the kinds tenant-guard knows out of the box. The Kubernetes workload
// kinds are always checked; the custom resources below are on by default
// (workloads.builtinCustomResources) and config can add or replace any of them
// (workloads.templates). Paths were taken from each project's API reference:
//   Kubeflow Training Operator v1: <framework>ReplicaSpecs.<Master|Worker|...>.template (PodTemplateSpec)
//   Kubeflow Trainer v2 TrainJob:  trainer (image/env/command), trainer.resourcesPerNode (the
//                                  ResourceRequirements of each node's pod), initializer.model.storageUri,
//                                  runtimePatches[*].trainingRuntimeSpec.template.spec.replicatedJobs[*]
//                                  .template.spec.template (a partial PodTemplateSpec, v2.2+) and
//                                  podTemplateOverrides[*].spec (partial PodSpec, v2.1),
//                                  podSpecOverrides[*] (v2.0: PodSpec fields inline); not
//                                  initializer.dataset.storageUri: a dataset is not a model
//   Kubeflow Trainer TrainingRuntime: spec.template is a JobSet template; ClusterTrainingRuntime is
//                                  cluster-scoped (no tenant to check against) and not listed
//   KubeRay ray.io/v1:             headGroupSpec.template, workerGroupSpecs[*].template; RayJob nests a
//                                  RayClusterSpec in rayClusterSpec (+ submitterPodTemplate);
//                                  RayService in rayClusterConfig; RayCronJob nests a RayJobSpec in
//                                  jobTemplate
//   KServe serving.kserve.io/v1beta1: predictor/transformer/explainer are inline PodSpecs; the model
//                                  and framework specs (sklearn, pytorch, ...) are containers with a
//                                  storageUri; storageUris[*].uri is the multi-URI form; `storage`
//                                  ({key, path, parameters}, ModelStorageSpec) is the form that
//                                  names the location through the storage-config secret
//   KServe LLMInferenceService(Config) v1alpha1/v1alpha2: template, worker, prefill.{template,worker},
//                                  router.scheduler.template and its tokenizer.template are PodSpecs;
//                                  model.uri and model.lora.adapters[*].uri are model locations
//   JobSet jobset.x-k8s.io/v1alpha2: replicatedJobs[*].template is a JobTemplateSpec
//   Argo Workflows argoproj.io/v1alpha1: the workflow spec and each template carry PodSpec fields
//                                  (serviceAccountName, nodeSelector, tolerations, volumes, ...);
//                                  containers are template.container/script/sidecars/initContainers;
//                                  dag.tasks[*].inline and steps[*][*].inline are templates too, and
//                                  podSpecPatch (workflow and template) is a JSON/YAML string patch;
//                                  templateDefaults is a Template merged into every template, and
//                                  artifactGC (serviceAccountName, podSpecPatch) makes a pod too
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
  /** Paths to strings holding a JSON/YAML pod spec patch (Argo's podSpecPatch), judged as pod specs. */
  readonly podSpecPatches?: readonly string[];
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

/**
 * A workflow's templates: the named ones, those written inline in a DAG task or a step, and
 * templateDefaults (a Template merged into every one of them).
 */
const ARGO_TEMPLATES = (p: string): string[] => [
  `${p}.templates[*]`,
  `${p}.templateDefaults`,
  `${p}.templates[*].dag.tasks[*].inline`,
  `${p}.templates[*].steps[*][*].inline`,
];
/** artifactGC: the artifact garbage-collection pod's serviceAccountName and podSpecPatch. */
const ARGO_SPEC = (p: string): string[] => [p, `${p}.artifactGC`, ...ARGO_TEMPLATES(p)];
const ARGO_CONTAINERS = (p: string): string[] =>
  ARGO_TEMPLATES(p).flatMap((t) => [
    `${t}.container`,
    `${t}.script`,
    `${t}.sidecars[*]`,
    `${t}.containerSet.containers[*]`,
  ]);
const ARGO_PATCHES = (p: string): string[] => [
  `${p}.podSpecPatch`,
  `${p}.artifactGC.podSpecPatch`,
  ...ARGO_TEMPLATES(p).map((t) => `${t}.podSpecPatch`),
];

const argo = (kind: string, resource: string, spec: string): WorkloadKindSpec => ({
  group: "argoproj.io",
  kind,
  resource,
  podSpecs: ARGO_SPEC(spec),
  containers: ARGO_CONTAINERS(spec),
  podSpecPatches: ARGO_PATCHES(spec),
});

/** A JobSet spec's pod templates (JobSet itself, a TrainingRuntime's spec.template). */
const jobSetPods = (p: string): string => `${p}.replicatedJobs[*].template.spec.template`;

/** KServe LLMInferenceService(Config): the decode, prefill and router-scheduler pods. */
const llmInference = (kind: string, resource: string): WorkloadKindSpec => ({
  group: "serving.kserve.io",
  kind,
  resource,
  podSpecs: [
    "spec.template",
    "spec.worker",
    "spec.prefill.template",
    "spec.prefill.worker",
    "spec.router.scheduler.template",
    "spec.router.scheduler.tokenizer.template",
  ],
  modelStorage: ["spec.model.uri", "spec.model.lora.adapters[*].uri"],
});

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
    templates: [jobSetPods("spec.runtimePatches[*].trainingRuntimeSpec.template.spec")],
    podSpecs: ["spec.podTemplateOverrides[*].spec", "spec.podSpecOverrides[*]"],
    containers: ["spec.trainer"],
    resources: ["spec.trainer.resourcesPerNode"],
    modelStorage: ["spec.initializer.model.storageUri"],
  },
  template("trainer.kubeflow.org", "TrainingRuntime", "trainingruntimes", jobSetPods("spec.template.spec")),
  template("ray.io", "RayCluster", "rayclusters", ...rayCluster("spec")),
  template("ray.io", "RayJob", "rayjobs", ...rayCluster("spec.rayClusterSpec"), "spec.submitterPodTemplate"),
  template("ray.io", "RayService", "rayservices", ...rayCluster("spec.rayClusterConfig")),
  template(
    "ray.io",
    "RayCronJob",
    "raycronjobs",
    ...rayCluster("spec.jobTemplate.rayClusterSpec"),
    "spec.jobTemplate.submitterPodTemplate",
  ),
  {
    group: "serving.kserve.io",
    kind: "InferenceService",
    resource: "inferenceservices",
    podSpecs: ["spec.predictor", "spec.predictor.workerSpec", "spec.transformer", "spec.explainer"],
    containers: [...KSERVE_FRAMEWORKS.map((f) => `spec.predictor.${f}`), "spec.explainer.art"],
    modelStorage: [
      "spec.predictor.*.storageUri",
      "spec.predictor.storageUris[*].uri",
      "spec.explainer.*.storageUri",
      // The explainer and transformer have their own storageUris, downloaded the same way.
      "spec.explainer.storageUris[*].uri",
      "spec.transformer.storageUris[*].uri",
    ],
    // Not spec.predictor.*.storage: the logger's storage is where request logs go, not a model.
    modelStorageSpecs: [
      ...KSERVE_FRAMEWORKS.map((f) => `spec.predictor.${f}.storage`),
      "spec.explainer.art.storage",
    ],
  },
  llmInference("LLMInferenceService", "llminferenceservices"),
  llmInference("LLMInferenceServiceConfig", "llminferenceserviceconfigs"),
  template("jobset.x-k8s.io", "JobSet", "jobsets", jobSetPods("spec")),
  argo("Workflow", "workflows", "spec"),
  argo("WorkflowTemplate", "workflowtemplates", "spec"),
  argo("CronWorkflow", "cronworkflows", "spec.workflowSpec"),
];
