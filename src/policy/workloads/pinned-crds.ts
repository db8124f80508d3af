// Which upstream CRD each known custom resource's paths were read from, so a test can tell when a
// project moves a field. The CRD files themselves are not in this repository (fetched upstream text
// is not committed): put them under ../shared/crds/<dir>/<file> (or $TENANT_GUARD_CRDS/<dir>/<file>)
// and test/unit/policy/workloads/pinned-crds.test.ts walks each pinned path through the
// openAPIV3Schema of every listed version. Hand-written; update commit and versions when re-reading.
export interface CrdPin {
  readonly group: string;
  readonly kind: string;
  /** Upstream GitHub repository and the path of the CRD file in it. */
  readonly repo: string;
  readonly file: string;
  /** Branch or tag read and its commit. */
  readonly ref: string;
  readonly commit: string;
  /** Directory under the CRDs root holding a copy of `file` (its base name). */
  readonly dir: string;
  /** Served versions whose schemas contain every path below. */
  readonly versions: readonly string[];
  /** Template / pod spec / container / storage paths (as in known-kinds.ts) this CRD carries. */
  readonly paths: readonly string[];
  /**
   * Paths that run through a part the CRD leaves schema-less (x-kubernetes-preserve-unknown-fields:
   * a recursive Go type); checked up to that node, the rest read from the Go types at `commit`.
   */
  readonly opaque?: readonly string[];
}

const TRAINER = "8c0f5059bd51ec3ba6d6a6a7b2e1471de7bc13b3";
const TRAINER_2_1 = "69b9b7f023166dfa00d8a205968b13edcad464a1";
const TRAINER_2_0 = "117ad23a73d1df59ecb4998a761dab9e62e527db";
const TRAINING_OPERATOR_1_9 = "078ec30ff26649a07d2e28893c332d4cef70e233";
const KUBERAY = "feeaf72facab4881ba2b179248bb67315634e229";
const KSERVE = "aaac4e294dae2c7b1aa1886447793f3aa1c30912";
const JOBSET = "08dfbdfd682714a9ab929633eca8dc95315187e7";
const ARGO = "f016ad89eb269d282aec06dc491c29f396a38df4";

const RS = "replicatedJobs[*].template.spec.template";
const ray = (p: string): string[] => [`${p}.headGroupSpec.template`, `${p}.workerGroupSpecs[*].template`];

const trainingOperator = (kind: string, plural: string, specs: string): CrdPin => ({
  group: "kubeflow.org",
  kind,
  repo: "kubeflow/training-operator",
  file: `manifests/base/crds/kubeflow.org_${plural}.yaml`,
  ref: "release-1.9",
  commit: TRAINING_OPERATOR_1_9,
  dir: "training-operator",
  versions: ["v1"],
  paths: [`spec.${specs}.*.template`],
});

const kuberay = (kind: string, plural: string, versions: string[], paths: string[]): CrdPin => ({
  group: "ray.io",
  kind,
  repo: "ray-project/kuberay",
  file: `ray-operator/config/crd/bases/ray.io_${plural}.yaml`,
  ref: "master",
  commit: KUBERAY,
  dir: "kuberay",
  versions,
  paths,
});

const LLM_PATHS = [
  "spec.template",
  "spec.worker",
  "spec.prefill.template",
  "spec.prefill.worker",
  "spec.router.scheduler.template",
  "spec.router.scheduler.tokenizer.template",
  "spec.model.uri",
  "spec.model.lora.adapters[*].uri",
];

/** LoRASpec.Adapters is a list of LLMModelSpec, itself holding a LoRASpec: recursive, no schema. */
const LORA = ["spec.model.lora.adapters[*].uri"];

const ARGO_TEMPLATE_FIELDS = (t: string): string[] => [
  t,
  `${t}.container`,
  `${t}.script`,
  `${t}.sidecars[*]`,
  `${t}.containerSet.containers[*]`,
  `${t}.podSpecPatch`,
];
const argoPaths = (p: string): string[] => [
  p,
  `${p}.podSpecPatch`,
  `${p}.artifactGC`,
  `${p}.artifactGC.podSpecPatch`,
  ...ARGO_TEMPLATE_FIELDS(`${p}.templateDefaults`),
  ...ARGO_TEMPLATE_FIELDS(`${p}.templates[*]`),
  ...ARGO_TEMPLATE_FIELDS(`${p}.templates[*].dag.tasks[*].inline`),
  ...ARGO_TEMPLATE_FIELDS(`${p}.templates[*].steps[*][*].inline`),
];
/** Argo's Template is recursive (a DAG task or step holds a whole Template inline): no schema below. */
const argoInline = (p: string): string[] => [
  ...ARGO_TEMPLATE_FIELDS(`${p}.templates[*].dag.tasks[*].inline`),
  ...ARGO_TEMPLATE_FIELDS(`${p}.templates[*].steps[*][*].inline`),
];
const argo = (kind: string, plural: string, spec: string): CrdPin => ({
  group: "argoproj.io",
  kind,
  repo: "argoproj/argo-workflows",
  file: `manifests/base/crds/full/argoproj.io_${plural}.yaml`,
  ref: "main",
  commit: ARGO,
  dir: "argo",
  versions: ["v1alpha1"],
  paths: argoPaths(spec),
  opaque: argoInline(spec),
});

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

export const PINNED_CRDS: readonly CrdPin[] = [
  trainingOperator("PyTorchJob", "pytorchjobs", "pytorchReplicaSpecs"),
  trainingOperator("TFJob", "tfjobs", "tfReplicaSpecs"),
  trainingOperator("MPIJob", "mpijobs", "mpiReplicaSpecs"),
  trainingOperator("JAXJob", "jaxjobs", "jaxReplicaSpecs"),
  trainingOperator("XGBoostJob", "xgboostjobs", "xgbReplicaSpecs"),
  trainingOperator("PaddleJob", "paddlejobs", "paddleReplicaSpecs"),
  {
    group: "trainer.kubeflow.org",
    kind: "TrainJob",
    repo: "kubeflow/trainer",
    file: "manifests/base/crds/trainer.kubeflow.org_trainjobs.yaml",
    ref: "master (v2.3)",
    commit: TRAINER,
    dir: "trainer",
    versions: ["v1alpha1"],
    paths: [
      `spec.runtimePatches[*].trainingRuntimeSpec.template.spec.${RS}`,
      "spec.trainer",
      "spec.trainer.resourcesPerNode",
      "spec.initializer.model.storageUri",
    ],
  },
  {
    group: "trainer.kubeflow.org",
    kind: "TrainJob",
    repo: "kubeflow/trainer",
    file: "manifests/base/crds/trainer.kubeflow.org_trainjobs.yaml",
    ref: "release-2.1",
    commit: TRAINER_2_1,
    dir: "trainer-v2.1",
    versions: ["v1alpha1"],
    paths: ["spec.podTemplateOverrides[*].spec", "spec.trainer", "spec.initializer.model.storageUri"],
  },
  {
    // v2.0's PodSpecOverride: targetJobs plus serviceAccountName, nodeSelector, tolerations,
    // volumes, initContainers, containers, schedulingGates inline (no affinity yet).
    group: "trainer.kubeflow.org",
    kind: "TrainJob",
    repo: "kubeflow/trainer",
    file: "manifests/base/crds/trainer.kubeflow.org_trainjobs.yaml",
    ref: "v2.0.0",
    commit: TRAINER_2_0,
    dir: "trainer-v2.0",
    versions: ["v1alpha1"],
    paths: [
      "spec.podSpecOverrides[*]",
      "spec.trainer",
      "spec.trainer.resourcesPerNode",
      "spec.initializer.model.storageUri",
    ],
  },
  {
    group: "trainer.kubeflow.org",
    kind: "TrainingRuntime",
    repo: "kubeflow/trainer",
    file: "manifests/base/crds/trainer.kubeflow.org_trainingruntimes.yaml",
    ref: "master (v2.3)",
    commit: TRAINER,
    dir: "trainer",
    versions: ["v1alpha1"],
    paths: [`spec.template.spec.${RS}`],
  },
  kuberay("RayCluster", "rayclusters", ["v1"], ray("spec")),
  kuberay("RayJob", "rayjobs", ["v1"], [...ray("spec.rayClusterSpec"), "spec.submitterPodTemplate"]),
  kuberay("RayService", "rayservices", ["v1"], ray("spec.rayClusterConfig")),
  kuberay(
    "RayCronJob",
    "raycronjobs",
    ["v1"],
    [...ray("spec.jobTemplate.rayClusterSpec"), "spec.jobTemplate.submitterPodTemplate"],
  ),
  {
    group: "serving.kserve.io",
    kind: "InferenceService",
    repo: "kserve/kserve",
    file: "config/crd/full/serving.kserve.io_inferenceservices.yaml",
    ref: "master",
    commit: KSERVE,
    dir: "kserve",
    versions: ["v1beta1"],
    paths: [
      "spec.predictor",
      "spec.predictor.workerSpec",
      "spec.transformer",
      "spec.explainer",
      "spec.explainer.art",
      "spec.explainer.art.storageUri",
      "spec.explainer.art.storage",
      "spec.predictor.storageUris[*].uri",
      "spec.predictor.*.storageUri",
      "spec.explainer.*.storageUri",
      // The explainer and transformer have their own storageUris, downloaded the same way.
      "spec.explainer.storageUris[*].uri",
      "spec.transformer.storageUris[*].uri",
      ...KSERVE_FRAMEWORKS.flatMap((f) => [
        `spec.predictor.${f}`,
        `spec.predictor.${f}.storageUri`,
        `spec.predictor.${f}.storage`,
      ]),
    ],
  },
  {
    group: "serving.kserve.io",
    kind: "LLMInferenceService",
    repo: "kserve/kserve",
    file: "config/crd/full/llmisvc/serving.kserve.io_llminferenceservices.yaml",
    ref: "master",
    commit: KSERVE,
    dir: "kserve",
    versions: ["v1alpha1", "v1alpha2"],
    paths: LLM_PATHS,
    opaque: LORA,
  },
  {
    group: "serving.kserve.io",
    kind: "LLMInferenceServiceConfig",
    repo: "kserve/kserve",
    file: "config/crd/full/llmisvc/serving.kserve.io_llminferenceserviceconfigs.yaml",
    ref: "master",
    commit: KSERVE,
    dir: "kserve",
    versions: ["v1alpha1", "v1alpha2"],
    paths: LLM_PATHS,
    opaque: LORA,
  },
  {
    group: "jobset.x-k8s.io",
    kind: "JobSet",
    repo: "kubernetes-sigs/jobset",
    file: "config/components/crd/bases/jobset.x-k8s.io_jobsets.yaml",
    ref: "main",
    commit: JOBSET,
    dir: "jobset",
    versions: ["v1alpha2"],
    paths: [`spec.${RS}`],
  },
  argo("Workflow", "workflows", "spec"),
  argo("WorkflowTemplate", "workflowtemplates", "spec"),
  argo("CronWorkflow", "cronworkflows", "spec.workflowSpec"),
];
