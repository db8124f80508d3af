// Workloads and ML platforms through the real HTTPS server, against examples/cluster.yaml: the pod
// rules on the pod templates of every supported kind (Kubernetes workloads, Kubeflow, Ray, KServe,
// JobSet, Argo), denied at apply time with the template's field path, and each legitimate twin
// allowed; model storage per tenant; a custom resource added by config alone.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAudit } from "../../src/cli/audit.ts";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Answer {
  response: { uid: string; allowed: boolean; status?: { code: number; message: string } };
}

const codesIn = (message: string): string[] =>
  [...message.matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1] ?? "");

let server: TestServer;
let configured: TestServer;

beforeAll(async () => {
  [server, configured] = await Promise.all([
    startTestServer(),
    startTestServer({
      workloads: {
        builtinCustomResources: false,
        templates: [
          { group: "kubeflow.org", kind: "Notebook", resource: "notebooks", templates: ["spec.template"] },
        ],
      },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.close(), configured?.close()]);
});

async function validate(s: TestServer, fixture: string): Promise<Answer["response"]> {
  const review = loadReview(`workloads/${fixture}`);
  const res = await s.review("/validate", review);
  expect(res.status).toBe(200);
  const body = res.json<Answer>();
  expect(body.response.uid).toBe(review.request.uid);
  return body.response;
}

function expectDenied(r: Answer["response"], code: string, path: string): string {
  expect(r.allowed).toBe(false);
  expect(r.status?.code).toBe(403);
  const msg = r.status?.message ?? "";
  expect(new Set(codesIn(msg))).toEqual(new Set([code]));
  expect(msg).toContain(`(${path})`);
  expect(msg).toContain('tenant "team-alpha"');
  expect(msg).toContain('tenant "team-beta"');
  return msg;
}

describe("the issue's done-when: each reaches another tenant and is denied at apply time", () => {
  it.each([
    ["deployment-service-account", "TG-POD-SERVICE-ACCOUNT", "spec.template.spec.serviceAccountName"],
    [
      "cronjob-node-pool",
      "TG-POD-NODE-POOL",
      'spec.jobTemplate.spec.template.spec.nodeSelector["tenant-guard.dev/pool"]',
    ],
    [
      "pytorchjob-secret",
      "TG-POD-REFERENCE",
      "spec.pytorchReplicaSpecs.Worker.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name",
    ],
    [
      "raycluster-node-pool",
      "TG-POD-NODE-POOL",
      'spec.workerGroupSpecs[1].template.spec.nodeSelector["tenant-guard.dev/pool"]',
    ],
    ["inferenceservice-model-storage", "TG-MODEL-STORAGE", "spec.predictor.model.storageUri"],
  ])("%s: denied with %s at %s, its twin allowed", async (name, code, path) => {
    expectDenied(await validate(server, `${name}-denied`), code, path);
    const twin = await validate(server, `${name}-allowed`);
    expect(twin.status?.message).toBeUndefined();
    expect(twin.allowed).toBe(true);
  });

  it("a template that reaches a pool by toleration is reported at the toleration too", async () => {
    const msg = (await validate(server, "raycluster-node-pool-denied")).status?.message ?? "";
    expect(msg).toContain("(spec.workerGroupSpecs[1].template.spec.tolerations[0])");
    expect(msg).not.toContain("workerGroupSpecs[0]");
  });

  it("names both teams and the bucket for model storage", async () => {
    const msg = (await validate(server, "inferenceservice-model-storage-denied")).status?.message ?? "";
    expect(msg).toContain(
      '"s3://models/team-beta/llama-3-8b-instruct/", which belongs to tenant "team-beta"',
    );
  });
});

describe("every supported kind gets the pod rules on its templates", () => {
  it.each([
    ["statefulset", "spec.template.spec.serviceAccountName"],
    ["daemonset", "spec.template.spec.serviceAccountName"],
    ["replicaset", "spec.template.spec.serviceAccountName"],
    ["job", "spec.template.spec.serviceAccountName"],
    ["replicationcontroller", "spec.template.spec.serviceAccountName"],
    ["tfjob", "spec.tfReplicaSpecs.Worker.template.spec.serviceAccountName"],
    ["mpijob", "spec.mpiReplicaSpecs.Launcher.template.spec.serviceAccountName"],
    ["jaxjob", "spec.jaxReplicaSpecs.Worker.template.spec.serviceAccountName"],
    ["rayjob", "spec.rayClusterSpec.workerGroupSpecs[0].template.spec.serviceAccountName"],
    ["rayservice", "spec.rayClusterConfig.headGroupSpec.template.spec.serviceAccountName"],
    ["jobset", "spec.replicatedJobs[0].template.spec.template.spec.serviceAccountName"],
    ["workflow", "spec.serviceAccountName"],
    ["trainjob", "spec.podTemplateOverrides[0].spec.serviceAccountName"],
  ])("%s: another tenant's service account is denied at %s; its twin is allowed", async (kind, path) => {
    expectDenied(await validate(server, `${kind}-denied`), "TG-POD-SERVICE-ACCOUNT", path);
    expect((await validate(server, `${kind}-allowed`)).allowed).toBe(true);
  });
});

describe("updates", () => {
  it("a Deployment update that points the template at another tenant's service account is denied", async () => {
    expectDenied(
      await validate(server, "deployment-update-adds-crossing-denied"),
      "TG-POD-SERVICE-ACCOUNT",
      "spec.template.spec.serviceAccountName",
    );
  });

  it("scaling a grandfathered Deployment is not blocked by a crossing it already had", async () => {
    expect((await validate(server, "deployment-update-grandfathered-allowed")).allowed).toBe(true);
  });
});

describe("custom resources are configuration", () => {
  it("a kind tenant-guard does not know is not checked by default", async () => {
    expect((await validate(server, "notebook-service-account-denied")).allowed).toBe(true);
  });

  it("listing its template path in workloads.templates is enough to check it", async () => {
    expectDenied(
      await validate(configured, "notebook-service-account-denied"),
      "TG-POD-SERVICE-ACCOUNT",
      "spec.template.spec.serviceAccountName",
    );
  });

  it("builtinCustomResources: false turns the known CRDs off, Kubernetes kinds stay", async () => {
    expect((await validate(configured, "pytorchjob-secret-denied")).allowed).toBe(true);
    expect((await validate(configured, "deployment-service-account-denied")).allowed).toBe(false);
  });
});

describe("the audit CLI sees the same workloads the same way", () => {
  const DONE_WHEN = [
    "deployment-service-account",
    "cronjob-node-pool",
    "pytorchjob-secret",
    "raycluster-node-pool",
    "inferenceservice-model-storage",
  ];

  it("reports each crossing with its code and template path, and nothing for the twins", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tg-workloads-"));
    try {
      const docs = DONE_WHEN.flatMap((n) =>
        ["denied", "allowed"].map((v) => JSON.stringify(loadReview(`workloads/${n}-${v}`).request.object)),
      );
      const file = join(dir, "manifests.yaml");
      writeFileSync(file, docs.join("\n---\n"));
      let text = "";
      const stdout = new Writable({
        write(chunk: Buffer, _enc, cb) {
          text += chunk.toString("utf8");
          cb();
        },
      });
      const code = await runAudit(["-o", "json", file], new PassThrough(), stdout, new PassThrough());
      expect(code).toBe(1);
      const report = JSON.parse(text) as {
        results: { kind: string; findings: { code: string; path: string }[] }[];
      };
      const seen = report.results.map(
        (r) => `${r.kind}:${r.findings.map((f) => `${f.code}@${f.path}`).join(",")}`,
      );
      expect(seen).toEqual([
        "Deployment:TG-POD-SERVICE-ACCOUNT@spec.template.spec.serviceAccountName",
        "Deployment:",
        'CronJob:TG-POD-NODE-POOL@spec.jobTemplate.spec.template.spec.nodeSelector["tenant-guard.dev/pool"],' +
          "TG-POD-NODE-POOL@spec.jobTemplate.spec.template.spec.tolerations[0]",
        "CronJob:",
        "PyTorchJob:TG-POD-REFERENCE@spec.pytorchReplicaSpecs.Worker.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name",
        "PyTorchJob:",
        'RayCluster:TG-POD-NODE-POOL@spec.workerGroupSpecs[1].template.spec.nodeSelector["tenant-guard.dev/pool"],' +
          "TG-POD-NODE-POOL@spec.workerGroupSpecs[1].template.spec.tolerations[0]",
        "RayCluster:",
        "InferenceService:TG-MODEL-STORAGE@spec.predictor.model.storageUri",
        "InferenceService:",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
