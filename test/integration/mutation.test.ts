// The Done-when, through the real HTTPS server over examples/cluster.yaml: a pod created in
// team-alpha's namespace comes back from POST /mutate with team-alpha's labels, default
// requests/limits, GPUs made request == limit, its node pool's nodeSelector and tolerations and its
// priority class; the mutated pod sent again gets no patch; and POST /validate allows it.
import jsonpatch from "fast-json-patch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { loadReview, patchOf, type ReviewJson } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Answer {
  response: {
    uid: string;
    allowed: boolean;
    patch?: string;
    patchType?: string;
    status?: { message: string };
  };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function post(path: "/validate" | "/mutate", review: ReviewJson): Promise<Answer> {
  const res = await server.review(path, review);
  expect(res.status).toBe(200);
  return res.json<Answer>();
}

/** POST /mutate, apply the patch the way the API server does, return the stored pod. */
async function mutated(review: ReviewJson): Promise<{ pod: JsonRecord; answer: Answer }> {
  const answer = await post("/mutate", review);
  expect(answer.response.allowed).toBe(true);
  expect(answer.response.patchType).toBe("JSONPatch");
  const ops = patchOf(answer.response) as jsonpatch.Operation[];
  const pod = jsonpatch.applyPatch(structuredClone(review.request.object), ops, true, false)
    .newDocument as JsonRecord;
  return { pod, answer };
}

function withObject(review: ReviewJson, pod: JsonRecord): ReviewJson {
  const next = structuredClone(review);
  next.request.object = pod;
  return next;
}

const POOL_TOLERATION = {
  key: "tenant-guard.dev/pool",
  operator: "Equal",
  value: "alpha-gpu",
  effect: "NoSchedule",
};
const DEFAULTS = { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "4Gi" } };

async function expectStableAndAllowed(review: ReviewJson, pod: JsonRecord): Promise<void> {
  // Sent again as is: nothing left to add.
  const again = await post("/mutate", withObject(review, pod));
  expect(again.response).toEqual({ uid: review.request.uid, allowed: true });
  // Sent again after the API server re-ran the Priority plugin (priority resolved from the class).
  const spec = pod.spec as JsonRecord;
  const resolved = { ...pod, spec: { ...spec, priority: 1000, preemptionPolicy: "PreemptLowerPriority" } };
  expect((await post("/mutate", withObject(review, resolved))).response.patch).toBeUndefined();
  // And the validating endpoint allows what mutation produced.
  const verdict = await post("/validate", withObject(review, pod));
  expect(verdict.response.status?.message).toBeUndefined();
  expect(verdict.response.allowed).toBe(true);
}

describe("POST /mutate for team-alpha pods", () => {
  it("stamps a bare pod with labels, defaults, pool placement and priority class", async () => {
    const review = loadReview("mutation/pod-bare-create");
    const { pod } = await mutated(review);
    const md = pod.metadata as JsonRecord;
    expect(md.labels).toEqual({
      run: "notebook",
      "tenant-guard.dev/tenant": "team-alpha",
      "cost-center": "ml-research",
    });
    expect(md.annotations).toEqual({ "tenant-guard.dev/owner-team": "team-alpha" });
    const spec = pod.spec as JsonRecord & { containers: JsonRecord[]; tolerations: JsonRecord[] };
    expect(spec.containers[0]?.resources).toEqual(DEFAULTS); // no GPU: none asked for, none defaulted
    expect(spec.nodeSelector).toEqual({ "tenant-guard.dev/pool": "alpha-gpu" });
    expect(spec.tolerations).toHaveLength(3);
    expect(spec.tolerations[2]).toEqual(POOL_TOLERATION);
    expect(spec.priorityClassName).toBe("team-alpha");
    expect(spec).not.toHaveProperty("priority");
    expect(spec).not.toHaveProperty("preemptionPolicy");
    await expectStableAndAllowed(review, pod);
  });

  it("completes a GPU request with an equal limit and never lowers what the job asked for", async () => {
    const review = loadReview("mutation/pod-gpu-job-create");
    const { pod } = await mutated(review);
    const spec = pod.spec as JsonRecord & { containers: JsonRecord[]; initContainers: JsonRecord[] };
    expect(spec.containers[0]?.resources).toEqual({
      requests: { cpu: "8", memory: "64Gi", "nvidia.com/gpu": "2" },
      limits: { cpu: "8", memory: "64Gi", "nvidia.com/gpu": "2" },
    });
    expect(spec.initContainers[0]?.resources).toEqual(DEFAULTS);
    expect(spec.nodeSelector).toEqual({ "tenant-guard.dev/pool": "alpha-gpu" });
    expect(spec.priorityClassName).toBe("team-alpha");
    expect((pod.metadata as JsonRecord).labels).toMatchObject({
      "job-name": "finetune-llama",
      "tenant-guard.dev/tenant": "team-alpha",
    });
    await expectStableAndAllowed(review, pod);
  });

  it("keeps a user's pool choice, so validation (not a silent rewrite) denies another tenant's pool", async () => {
    const review = loadReview("mutation/pod-bare-create");
    const spec = review.request.object?.spec as JsonRecord;
    spec.nodeSelector = { "tenant-guard.dev/pool": "beta-gpu" };
    const { pod } = await mutated(review);
    expect((pod.spec as JsonRecord).nodeSelector).toEqual({ "tenant-guard.dev/pool": "beta-gpu" });
    const verdict = await post("/validate", withObject(review, pod));
    expect(verdict.response.allowed).toBe(false);
    expect(verdict.response.status?.message).toContain("beta-gpu");
  });

  it("returns the same patch for a dry run", async () => {
    const real = patchOf((await post("/mutate", loadReview("pod-create"))).response);
    const dry = patchOf((await post("/mutate", loadReview("pod-create-dryrun"))).response);
    expect(real.length).toBeGreaterThan(0);
    expect(dry).toEqual(real);
  });

  it("does not mutate workloads (their pods are mutated when created)", async () => {
    const answer = await post("/mutate", loadReview("deployment-create"));
    expect(answer.response.allowed).toBe(true);
    expect(answer.response.patch).toBeUndefined();
  });

  it("does not mutate pod updates", async () => {
    const answer = await post("/mutate", loadReview("pod-update"));
    expect(answer.response.patch).toBeUndefined();
  });

  it("does not mutate pods in a namespace no tenant owns", async () => {
    const review = loadReview("mutation/pod-bare-create");
    review.request.namespace = "shared-tools";
    (review.request.object?.metadata as JsonRecord).namespace = "shared-tools";
    const answer = await post("/mutate", review);
    expect(answer.response).toEqual({ uid: review.request.uid, allowed: true });
  });
});
