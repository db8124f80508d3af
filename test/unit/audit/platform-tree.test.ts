// `tenant-guard audit` over a real-shaped tree (test/fixtures/audit/platform): every readable object
// is reported, every document that is not one is named with why, a broken file is named and
// skipped, objects of kinds no rule checks are counted as such, and the exit status says both.
import { relative } from "node:path";
import { describe, expect, it } from "vitest";
import { audit, flagged, json } from "./support/run-audit.ts";
import { PLATFORM } from "./support/world.ts";

const rel = (f: string | undefined): string => relative(PLATFORM, f ?? "");

describe("audit over an upstream-shaped ML platform tree", () => {
  it("-o json: findings, skips and the unreadable file, with exit 3 (Enforce findings + unreadable input)", async () => {
    const { code, report, err } = await json([PLATFORM]);
    expect(code).toBe(3);
    expect(flagged(report)).toEqual([
      "Workflow alpha-ci/: TG-POD-REGISTRY:Enforce",
      "InferenceService team-alpha/llama-eval: TG-MODEL-STORAGE:Enforce",
      "PyTorchJob alpha-train/llama-finetune: TG-POD-REGISTRY:Enforce,TG-POD-REGISTRY:Enforce",
      "RayCluster team-beta/beta-research: TG-POD-NODE-POOL:Enforce",
      // its ClusterQueue carries no tenant label and no shared-with annotation: the platform's
      "LocalQueue team-beta/team-beta: TG-KUEUE-LOCALQUEUE:Enforce",
    ]);
    // Every readable object, in file order, with its verdict.
    expect(
      report.results.map((r) => `${rel(r.file)}:${r.line} ${r.kind} ${r.skip ?? r.findings.length}`),
    ).toEqual([
      "argo/workflow.yaml:2 Workflow 1",
      "jobset/jobset.yaml:3 JobSet 0",
      "kserve/inferenceservices.yaml:3 InferenceService 0",
      "kserve/inferenceservices.yaml:22 InferenceService 1",
      "kserve/serving-extras.yaml:1 HorizontalPodAutoscaler unchecked",
      "kserve/serving-extras.yaml:14 PodDisruptionBudget unchecked",
      "kubeflow/pytorchjob.yaml:3 PyTorchJob 2",
      "kubeflow/trainjob.yaml:2 TrainJob 0",
      "kuberay/raycluster.yaml:2 RayCluster 1",
      "kueue/queues.yaml:1 ResourceFlavor 0",
      "kueue/queues.yaml:9 ClusterQueue 0",
      "kueue/queues.yaml:25 LocalQueue 1",
      "nvidia/device-plugin.yaml:2 DaemonSet exempt",
      "nvidia/device-plugin.yaml:32 RuntimeClass 0", // TG-CLUSTER-CLASS; the audit acts for no tenant
    ]);
    expect(report.summary).toMatchObject({ objects: 14, skipped: 1, unchecked: 2 });
    // Every skipped document, with why.
    expect(
      report.skippedDocuments?.map((d) => `${rel(d.file)}:${d.line} ${d.reason.split(/[;(]/)[0]}`),
    ).toEqual([
      "kustomization.yaml:1 Kustomization: kustomize input, not an object ",
      "patches/pytorchjob-workers.yaml:2 a JSON patch ",
      `patches/raycluster-head.yaml:3 named as kustomize input at ${PLATFORM}/kustomization.yaml:17, not an object`,
      "ray-values.yaml:2 no apiVersion and kind: not a Kubernetes object ",
    ]);
    expect(report.unreadable?.map((u) => `${rel(u.file)}:${u.line}`)).toEqual(["argo/nightly-eval.yaml:9"]);
    expect(err).toMatch(/argo\/nightly-eval\.yaml:9: .+; file skipped/);
    expect(err).toContain(`skipped ${PLATFORM}/kustomization.yaml:1: Kustomization: kustomize input`);
  });

  it("resolves merge keys as kubectl does: the Worker inherits the Master's image", async () => {
    const { report } = await json([`${PLATFORM}/kubeflow/pytorchjob.yaml`]);
    const paths = report.results[0]?.findings.map((f) => f.path);
    expect(paths).toEqual([
      "spec.pytorchReplicaSpecs.Master.template.spec.containers[0].image",
      "spec.pytorchReplicaSpecs.Worker.template.spec.containers[0].image",
    ]);
  });

  it("accepts the flow scalars kubectl accepts (under-indented continuation lines)", async () => {
    const r = await json([`${PLATFORM}/jobset/jobset.yaml`, `${PLATFORM}/kserve/inferenceservices.yaml`]);
    expect(r.report.unreadable).toBeUndefined();
    expect(r.report.results.map((o) => o.name)).toEqual(["megatron-pretrain", "mistral-chat", "llama-eval"]);
  });

  it("-o table: a summary line counts what was not checked, skipped and unreadable", async () => {
    const r = await audit([PLATFORM]);
    expect(r.code).toBe(3);
    const tail = r.out.trimEnd().split("\n").slice(-4);
    expect(tail[0]).toBe(
      "6 finding(s) in 5 of 11 object(s) (6 Enforce); 1 skipped (exempt namespace); objects with Enforce findings would be denied at admission.",
    );
    expect(tail[1]).toBe(
      "Not checked: 2 object(s) of kinds no tenant-guard rule checks (1 HorizontalPodAutoscaler, 1 PodDisruptionBudget).",
    );
    expect(tail[2]).toBe("Skipped 4 document(s) that are not objects to audit (listed on stderr).");
    expect(tail[3]).toBe(
      `Could not read 1 file(s), the rest was audited: ${PLATFORM}/argo/nightly-eval.yaml:9.`,
    );
  });

  it("-o policyreport: objects of unchecked kinds are `skip`, never `pass`", async () => {
    const r = await audit(["-o", "policyreport", PLATFORM]);
    const gamma = r.out.split("---\n").find((d) => d.includes("name: tenant-guard-team-gamma"));
    expect(gamma).toMatch(/summary:\n\s+pass: 1\n\s+fail: 0\n\s+warn: 0\n\s+error: 0\n\s+skip: 2\n/);
    expect(gamma).toContain("message: no tenant-guard rule checks HorizontalPodAutoscaler objects");
  });
});
