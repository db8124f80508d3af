import { describe, expect, it } from "vitest";
import type { AdmissionRequest, Operation } from "../../../../src/admission/types.ts";
import { buildConfig } from "../../../../src/policy/config.ts";
import { policySettings } from "../../../../src/policy/settings.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { buildContext } from "../../../../src/policy/engine.ts";
import { podTargets } from "../../../../src/policy/workloads/targets.ts";
import { settings, view } from "../pod/world.ts";

function rawTargets(
  group: string,
  resource: string,
  object: JsonRecord | undefined,
  opts: { sub?: string; ns?: string; op?: Operation; s?: typeof settings } = {},
) {
  const req: AdmissionRequest = {
    uid: "u",
    kind: { group, version: "v1", kind: "X" },
    resource: { group, version: "v1", resource },
    subResource: opts.sub ?? "",
    name: "x",
    namespace: opts.ns ?? "alpha-ns",
    operation: opts.op ?? "CREATE",
    userInfo: { username: "alice", groups: [] },
    object,
    oldObject: undefined,
    dryRun: false,
  };
  return podTargets(buildContext(req, view, opts.s ?? settings));
}

function targets(...args: Parameters<typeof rawTargets>) {
  const t = rawTargets(...args);
  return t === undefined
    ? undefined
    : {
        specs: t.specs.map((s) => s.path),
        containers: t.containers.map((c) => c.path),
        storage: t.storage.map((s) => `${s.path}=${s.uri}`),
      };
}

const podTemplate = { metadata: {}, spec: { containers: [] } };

describe("podTargets", () => {
  it("a pod is its own spec, also through pods/ephemeralcontainers", () => {
    expect(targets("", "pods", { spec: {} })?.specs).toEqual(["spec"]);
    expect(targets("", "pods", { spec: {} }, { sub: "ephemeralcontainers", op: "UPDATE" })?.specs).toEqual([
      "spec",
    ]);
  });

  it.each([
    ["pods/status", "", "pods", { spec: {} }, "status"],
    ["pods/exec", "", "pods", { spec: {} }, "exec"],
    ["deployments/scale", "apps", "deployments", { spec: { template: podTemplate } }, "scale"],
  ])("%s carries no pod spec to check", (_n, group, resource, obj, sub) => {
    expect(targets(group, resource, obj, { sub })).toBeUndefined();
  });

  it("nothing for a DELETE (no object), a cluster-scoped request or an unknown kind", () => {
    expect(targets("", "pods", undefined)).toBeUndefined();
    expect(targets("", "pods", { spec: {} }, { ns: "" })).toBeUndefined();
    expect(targets("example.com", "widgets", { spec: { template: podTemplate } })).toBeUndefined();
  });

  it.each([
    ["apps", "deployments", { spec: { template: podTemplate } }, ["spec.template.spec"]],
    [
      "batch",
      "cronjobs",
      { spec: { jobTemplate: { spec: { template: podTemplate } } } },
      ["spec.jobTemplate.spec.template.spec"],
    ],
    ["", "podtemplates", { template: podTemplate }, ["template.spec"]],
    [
      "kubeflow.org",
      "pytorchjobs",
      {
        spec: {
          pytorchReplicaSpecs: { Master: { template: podTemplate }, Worker: { template: podTemplate } },
        },
      },
      ["spec.pytorchReplicaSpecs.Master.template.spec", "spec.pytorchReplicaSpecs.Worker.template.spec"],
    ],
    [
      "ray.io",
      "rayservices",
      {
        spec: {
          rayClusterConfig: {
            headGroupSpec: { template: podTemplate },
            workerGroupSpecs: [{ template: podTemplate }],
          },
        },
      },
      [
        "spec.rayClusterConfig.headGroupSpec.template.spec",
        "spec.rayClusterConfig.workerGroupSpecs[0].template.spec",
      ],
    ],
    [
      "jobset.x-k8s.io",
      "jobsets",
      { spec: { replicatedJobs: [{ template: { spec: { template: podTemplate } } }] } },
      ["spec.replicatedJobs[0].template.spec.template.spec"],
    ],
  ])("%s/%s templates", (group, resource, obj, want) => {
    expect(targets(group, resource, obj)?.specs).toEqual(want);
  });

  it("an InferenceService: components as pod specs, model containers, storage URIs", () => {
    const t = targets("serving.kserve.io", "inferenceservices", {
      spec: {
        predictor: {
          serviceAccountName: "sa",
          model: { modelFormat: { name: "sklearn" }, storageUri: "s3://m/a", image: "x" },
          storageUris: [{ uri: "s3://m/b", mountPath: "/mnt/b" }],
        },
        transformer: { containers: [] },
      },
    });
    expect(t).toEqual({
      specs: ["spec.predictor", "spec.transformer"],
      containers: ["spec.predictor.model"],
      storage: ["spec.predictor.model.storageUri=s3://m/a", "spec.predictor.storageUris[0].uri=s3://m/b"],
    });
  });

  it("a TrainJob: the trainer container and its resourcesPerNode as one pod's requirements", () => {
    const req = { requests: { "nvidia.com/gpu": 8 }, limits: { "nvidia.com/gpu": 8 } };
    const t = rawTargets("trainer.kubeflow.org", "trainjobs", {
      spec: { trainer: { image: "x", numNodes: 4, resourcesPerNode: req } },
    });
    expect(t?.containers.map((c) => c.path)).toEqual(["spec.trainer"]);
    expect(t?.resources).toEqual([{ resources: req, path: "spec.trainer.resourcesPerNode" }]);
  });

  it("an InferenceService's storage specs, the logger's excepted, with the secret KServe reads", () => {
    const storage = { key: "minio", path: "alpha/llama" };
    const object = {
      metadata: { annotations: { "serving.kserve.io/storageSecretName": "alpha-storage" } },
      spec: {
        predictor: { logger: { storage: { key: "logs" } }, model: { storage } },
        explainer: { art: { storage } },
      },
    };
    const t = rawTargets("serving.kserve.io", "inferenceservices", object);
    expect(t?.storageSpecs.map((s) => `${s.path}@${s.secret}`)).toEqual([
      "spec.predictor.model.storage@alpha-storage",
      "spec.explainer.art.storage@alpha-storage",
    ]);
  });

  it("an Argo Workflow: the spec, each template, and the template containers", () => {
    const t = targets("argoproj.io", "workflows", {
      spec: {
        templates: [
          { name: "a", container: { image: "x" } },
          { name: "b", script: { image: "y", source: "" } },
        ],
      },
    });
    expect(t?.specs).toEqual(["spec", "spec.templates[0]", "spec.templates[1]"]);
    expect(t?.containers).toEqual(["spec.templates[0].container", "spec.templates[1].script"]);
  });

  it("config adds a kind and can turn the known custom resources off", () => {
    const s = policySettings(
      buildConfig(undefined, {
        workloads: {
          builtinCustomResources: false,
          templates: [
            { group: "kubeflow.org", kind: "Notebook", resource: "notebooks", templates: ["spec.template"] },
          ],
        },
      }),
    );
    expect(targets("kubeflow.org", "notebooks", { spec: { template: podTemplate } }, { s })?.specs).toEqual([
      "spec.template.spec",
    ]);
    expect(targets("kubeflow.org", "pytorchjobs", { spec: {} }, { s })).toBeUndefined();
    expect(targets("apps", "deployments", { spec: { template: podTemplate } }, { s })?.specs).toEqual([
      "spec.template.spec",
    ]);
  });

  it("config can name per-pod requirements and storage specs of a kind", () => {
    const s = policySettings(
      buildConfig(undefined, {
        workloads: {
          templates: [
            {
              group: "example.com",
              kind: "BatchRun",
              resource: "batchruns",
              resources: ["spec.worker.resources"],
              modelStorageSpecs: ["spec.model.storage"],
            },
          ],
        },
      }),
    );
    const t = rawTargets(
      "example.com",
      "batchruns",
      { spec: { worker: { resources: { limits: { cpu: "1" } } }, model: { storage: { key: "k" } } } },
      { s },
    );
    expect(t?.resources.map((r) => r.path)).toEqual(["spec.worker.resources"]);
    expect(t?.storageSpecs.map((r) => `${r.path}@${r.secret}`)).toEqual([
      "spec.model.storage@storage-config",
    ]);
  });

  it("config rejects a malformed template path with its field", () => {
    expect(() =>
      buildConfig(undefined, {
        workloads: { templates: [{ group: "x", kind: "X", resource: "xs", templates: ["spec..template"] }] },
      }),
    ).toThrow(/workloads\.templates\.0\.templates\.0/);
  });
});
