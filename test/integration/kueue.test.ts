// Kueue through the real HTTPS server, against test/fixtures/kueue/world.yaml: team-ml's spec.queue
// is "ml-queue"; the objects are the real shapes of test/fixtures/kueue/objects.yaml, each sent as
// the API server sends it (userInfo, dryRun, oldObject on UPDATE). Every denial has an allowed twin.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import jsonpatch from "fast-json-patch";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { patchOf } from "../support/fixtures.ts";
import { codesIn, writeReview, type ReviewResponse } from "../support/review.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "kueue");
const OBJECTS: JsonRecord[] = parseAllDocuments(readFileSync(join(FIXTURES, "objects.yaml"), "utf8"))
  .map((d) => d.toJS() as JsonRecord)
  .filter((o) => o !== null);

/** A fresh copy of the fixture object of that kind and name. */
function object(kind: string, name: string): JsonRecord {
  const o = OBJECTS.find((x) => x.kind === kind && (x.metadata as JsonRecord).name === name);
  if (o === undefined) throw new Error(`no ${kind} ${name} in objects.yaml`);
  return structuredClone(o);
}

const TEAM_ML_USER = { username: "alice@example.com", groups: ["team-ml-devs", "system:authenticated"] };
const TEAM_OTHER_USER = { username: "bob@example.com", groups: ["team-other-devs", "system:authenticated"] };
const TEAM_SOLO_USER = { username: "carol@example.com", groups: ["team-solo-devs", "system:authenticated"] };
const ADMIN = { username: "kubernetes-admin", groups: ["system:masters", "system:authenticated"] };
const JOB_CONTROLLER = {
  username: "system:serviceaccount:kube-system:job-controller",
  groups: ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"],
};

interface Send {
  operation?: "CREATE" | "UPDATE" | "DELETE";
  user?: { username: string; groups: string[] };
  oldObject?: JsonRecord;
  dryRun?: boolean;
}

/** The AdmissionReview the API server sends for a write of `obj` (by team-ml unless said). */
function reviewOf(obj: JsonRecord, send: Send = {}): JsonRecord {
  return writeReview(obj, { ...send, user: send.user ?? TEAM_ML_USER });
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    directory: { source: "file:test/fixtures/kueue/world.yaml" },
    kueue: { requireQueueFor: { resources: ["nvidia.com/gpu"] } },
  });
});
afterAll(async () => {
  await server?.close();
});

async function post(path: "/validate" | "/mutate", review: JsonRecord): Promise<ReviewResponse> {
  const res = await server.review(path, review);
  expect(res.status).toBe(200);
  const out = res.json<{ response: ReviewResponse }>().response;
  expect(out.uid).toBe((review.request as JsonRecord).uid);
  return out;
}

/** POST /mutate, apply the patch as the API server does; the object after mutation and the ops. */
async function mutate(
  obj: JsonRecord,
  send: Send = {},
): Promise<{ next: JsonRecord; ops: jsonpatch.Operation[] }> {
  const r = await post("/mutate", reviewOf(obj, send));
  expect(r.allowed).toBe(true);
  const ops = patchOf(r) as jsonpatch.Operation[];
  const next = jsonpatch.applyPatch(structuredClone(obj), ops, true, false).newDocument as JsonRecord;
  return { next, ops };
}

const labelsOf = (o: JsonRecord): JsonRecord => ((o.metadata as JsonRecord).labels ?? {}) as JsonRecord;
const QUEUE = "kueue.x-k8s.io/queue-name";

describe("spec.queue: /mutate names the tenant's LocalQueue on jobs and pods that name none", () => {
  it.each([
    ["Job", "sample-job"],
    ["PyTorchJob", "pytorch-simple"],
    ["JobSet", "sleep-jobset"],
    ["Pod", "notebook"],
  ])("%s %s gets queue-name ml-queue, once (a second pass patches nothing)", async (kind, name) => {
    const obj = object(kind, name);
    const { next, ops } = await mutate(obj);
    expect(labelsOf(next)[QUEUE]).toBe("ml-queue");
    expect(ops.filter((o) => o.path.includes("queue-name") || o.path === "/metadata/labels")).toHaveLength(1);
    // The other labels the author wrote are still there.
    for (const [k, v] of Object.entries(labelsOf(obj))) expect(labelsOf(next)[k]).toBe(v);
    const again = await mutate(next);
    expect(again.ops.filter((o) => o.path.includes("queue-name"))).toEqual([]);
  });

  it("a job without any labels gets the whole map, one op", async () => {
    const { ops } = await mutate(object("JobSet", "sleep-jobset"));
    expect(ops).toEqual([{ op: "add", path: "/metadata/labels", value: { [QUEUE]: "ml-queue" } }]);
  });

  it("never overrides a queue the object names (RayCluster in spot-queue, or an explicit empty name)", async () => {
    const ray = await mutate(object("RayCluster", "raycluster-kuberay"));
    expect(ray.ops).toEqual([]);
    expect(labelsOf(ray.next)[QUEUE]).toBe("spot-queue");
    const job = object("Job", "sample-job");
    (job.metadata as JsonRecord).labels = { [QUEUE]: "" };
    expect((await mutate(job)).ops).toEqual([]);
  });

  it("a tenant without spec.queue gets no queue-name", async () => {
    const { ops } = await mutate(object("Job", "cpu-job"), { user: TEAM_OTHER_USER });
    expect(ops).toEqual([]);
    const pod = await mutate(object("Pod", "gpu-pod"), { user: TEAM_OTHER_USER });
    expect(pod.ops.some((o) => JSON.stringify(o).includes("queue-name"))).toBe(false);
  });
});

async function expectDenied(
  review: JsonRecord,
  code: string,
  path: string,
  ...detail: string[]
): Promise<void> {
  const r = await post("/validate", review);
  expect(r.allowed).toBe(false);
  expect(r.status?.code).toBe(403);
  const msg = r.status?.message ?? "";
  expect(codesIn(msg)).toEqual([code]);
  expect(msg).toContain(`(${path})`);
  for (const d of detail) expect(msg).toContain(d);
}

async function expectAllowed(review: JsonRecord): Promise<void> {
  const r = await post("/validate", review);
  expect(r.status?.message).toBeUndefined();
  expect(r.allowed).toBe(true);
}

/** A LocalQueue in `namespace` pointing at `clusterQueue` (the v1beta1 fixture, renamed). */
function localQueue(
  namespace: string,
  clusterQueue: string,
  apiVersion = "kueue.x-k8s.io/v1beta1",
): JsonRecord {
  const lq = object("LocalQueue", "ml-queue");
  lq.apiVersion = apiVersion;
  (lq.metadata as JsonRecord).namespace = namespace;
  (lq.spec as JsonRecord).clusterQueue = clusterQueue;
  return lq;
}

describe("TG-KUEUE-LOCALQUEUE: a tenant's LocalQueue points at its own or a shared ClusterQueue", () => {
  it.each([
    ["its own ClusterQueue (tenant label)", "ml-train", "cq-team-ml", TEAM_ML_USER],
    ["one shared by annotation", "ml-train", "cq-spot", TEAM_ML_USER],
    ["one whose owner's Tenant lists it in sharedWith", "ml-train", "cq-team-other", TEAM_ML_USER],
  ])("allowed: %s", async (_what, ns, cq, user) => {
    await expectAllowed(reviewOf(localQueue(ns, cq), { user }));
  });

  it("v1beta2 LocalQueues are judged the same (the fixture's spot-queue)", async () => {
    await expectAllowed(reviewOf(object("LocalQueue", "spot-queue")));
    await expectDenied(
      reviewOf(localQueue("solo", "cq-spot", "kueue.x-k8s.io/v1beta2"), { user: TEAM_SOLO_USER }),
      "TG-KUEUE-LOCALQUEUE",
      "spec.clusterQueue",
      'ClusterQueue "cq-spot", which is the platform\'s (no tenant label) and not shared with tenant "team-solo"',
    );
  });

  it("denied: another tenant's ClusterQueue not shared with it, naming both", async () => {
    await expectDenied(
      reviewOf(localQueue("other", "cq-team-ml"), { user: TEAM_OTHER_USER }),
      "TG-KUEUE-LOCALQUEUE",
      "spec.clusterQueue",
      'localqueue "ml-queue" in namespace "other" points at ClusterQueue "cq-team-ml"',
      'tenant "team-ml"\'s and not shared with tenant "team-other"',
    );
  });

  it("denied: the platform's unlabelled ClusterQueue, even when an admin creates the LocalQueue", async () => {
    for (const user of [TEAM_ML_USER, ADMIN])
      await expectDenied(
        reviewOf(localQueue("ml-train", "cq-platform"), { user }),
        "TG-KUEUE-LOCALQUEUE",
        "spec.clusterQueue",
        "the platform's (no tenant label)",
      );
  });

  it("denied: a ClusterQueue the directory does not know", async () => {
    await expectDenied(
      reviewOf(localQueue("ml-train", "cq-nowhere")),
      "TG-KUEUE-LOCALQUEUE",
      "spec.clusterQueue",
      '"cq-nowhere", which the directory does not know',
    );
  });

  it("a dry run is judged the same; an UPDATE that keeps the (immutable) ClusterQueue is not re-judged", async () => {
    await expectDenied(
      reviewOf(localQueue("other", "cq-team-ml"), { user: TEAM_OTHER_USER, dryRun: true }),
      "TG-KUEUE-LOCALQUEUE",
      "spec.clusterQueue",
    );
    const old = localQueue("other", "cq-team-ml");
    const next = structuredClone(old);
    (next.metadata as JsonRecord).labels = { team: "other" };
    await expectAllowed(reviewOf(next, { operation: "UPDATE", oldObject: old, user: TEAM_OTHER_USER }));
  });
});

describe("TG-KUEUE-CLUSTERQUEUE: Kueue's cluster-scoped objects are the platform's", () => {
  const cq = (): JsonRecord => ({
    apiVersion: "kueue.x-k8s.io/v1beta1",
    kind: "ClusterQueue",
    metadata: { name: "cq-team-ml", labels: { "tenant-guard.dev/tenant": "team-ml" } },
    spec: {
      namespaceSelector: {},
      resourceGroups: [
        {
          coveredResources: ["nvidia.com/gpu"],
          flavors: [{ name: "a100", resources: [{ name: "nvidia.com/gpu", nominalQuota: 64 }] }],
        },
      ],
    },
  });

  it("a tenant identity raising its own ClusterQueue's quota is denied; an admin's same update is allowed", async () => {
    const old = cq();
    const raised = cq();
    await expectDenied(
      reviewOf(raised, { operation: "UPDATE", oldObject: old, user: TEAM_ML_USER }),
      "TG-KUEUE-CLUSTERQUEUE",
      "spec",
      '"alice@example.com" acts for tenant "team-ml" and may not update clusterqueue "cq-team-ml"',
    );
    await expectAllowed(reviewOf(raised, { operation: "UPDATE", oldObject: old, user: ADMIN }));
  });

  it("deleting another tenant's ClusterQueue names the victim; a Cohort or WorkloadPriorityClass is refused too", async () => {
    await expectDenied(
      reviewOf(cq(), { operation: "DELETE", oldObject: cq(), user: TEAM_OTHER_USER }),
      "TG-KUEUE-CLUSTERQUEUE",
      "metadata.name",
      'clusterqueue "cq-team-ml" of tenant "team-ml"',
    );
    const wpc = {
      apiVersion: "kueue.x-k8s.io/v1beta1",
      kind: "WorkloadPriorityClass",
      metadata: { name: "me-first" },
      value: 1000000,
    };
    await expectDenied(
      reviewOf(wpc, { user: TEAM_ML_USER }),
      "TG-KUEUE-CLUSTERQUEUE",
      "spec",
      "workloadpriorityclass",
    );
    await expectAllowed(reviewOf(wpc, { user: ADMIN }));
  });
});

describe("TG-KUEUE-QUEUE-REQUIRED (kueue.requireQueueFor: [nvidia.com/gpu])", () => {
  it("a GPU pod of a tenant without spec.queue and without a queue label is denied; labelled, allowed", async () => {
    const pod = object("Pod", "gpu-pod");
    await expectDenied(
      reviewOf(pod, { user: TEAM_OTHER_USER }),
      "TG-KUEUE-QUEUE-REQUIRED",
      'metadata.labels["kueue.x-k8s.io/queue-name"]',
      'pod "gpu-pod" in namespace "other" requests nvidia.com/gpu but names no Kueue queue',
    );
    (pod.metadata as JsonRecord).labels = { [QUEUE]: "other-queue" };
    await expectAllowed(reviewOf(pod, { user: TEAM_OTHER_USER }));
  });

  it("an empty queue-name is no queue", async () => {
    const pod = object("Pod", "gpu-pod");
    (pod.metadata as JsonRecord).labels = { [QUEUE]: "" };
    await expectDenied(
      reviewOf(pod, { user: TEAM_OTHER_USER }),
      "TG-KUEUE-QUEUE-REQUIRED",
      'metadata.labels["kueue.x-k8s.io/queue-name"]',
    );
  });

  it("a GPU Job without a queue is denied at apply time; a CPU-only one is allowed", async () => {
    const job = object("Job", "sample-job");
    (job.metadata as JsonRecord).namespace = "other";
    await expectDenied(
      reviewOf(job, { user: TEAM_OTHER_USER }),
      "TG-KUEUE-QUEUE-REQUIRED",
      'metadata.labels["kueue.x-k8s.io/queue-name"]',
      'job "sample-job"',
    );
    await expectAllowed(reviewOf(object("Job", "cpu-job"), { user: TEAM_OTHER_USER }));
  });

  it("a pod the Job controller creates for its (queued) Job is the Job's; the same pod made by a tenant user is not", async () => {
    await expectAllowed(reviewOf(object("Pod", "sample-job-abcde"), { user: JOB_CONTROLLER }));
    await expectDenied(
      reviewOf(object("Pod", "sample-job-abcde"), { user: TEAM_OTHER_USER }),
      "TG-KUEUE-QUEUE-REQUIRED",
      'metadata.labels["kueue.x-k8s.io/queue-name"]',
    );
  });

  it("a tenant with spec.queue: what /mutate sends back passes validation (GPU Job, PyTorchJob, pod)", async () => {
    for (const [kind, name] of [
      ["Job", "sample-job"],
      ["PyTorchJob", "pytorch-simple"],
      ["Pod", "notebook"],
    ] as const) {
      const obj = object(kind, name);
      await expectDenied(
        reviewOf(obj),
        "TG-KUEUE-QUEUE-REQUIRED",
        'metadata.labels["kueue.x-k8s.io/queue-name"]',
      );
      const { next } = await mutate(obj);
      await expectAllowed(reviewOf(next));
    }
  });
});
