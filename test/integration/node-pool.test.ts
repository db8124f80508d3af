// TG-POD-NODE-POOL by every path through the real HTTPS server, against examples/cluster.yaml and
// its Nodes (alpha-gpu-1, beta-gpu-1: pool label + NoSchedule taint; general-1: a pool value no
// tenant owns; cpu-1: no pool): spec.nodeName of pods and templates, a DaemonSet pod's matchFields,
// pods/binding, and a tenant leaving its own pool. Each crossing has its legitimate twin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview } from "../support/fixtures.ts";
import { codesIn, reviewFixture, type ReviewResponse } from "../support/review.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const validate = (fixture: string): Promise<ReviewResponse> => reviewFixture(server, fixture);

const MATCH_FIELDS =
  "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0]";

describe("TG-POD-NODE-POOL through the real server", () => {
  it.each([
    [
      "pod/node-name-gamma-alpha-denied",
      "(spec.nodeName)",
      'runs on node "alpha-gpu-1", which is in the node pool of tenant "team-alpha" (label tenant-guard.dev/pool=alpha-gpu)',
    ],
    [
      "pod/node-name-alpha-beta-denied",
      "(spec.nodeName)",
      'runs on node "beta-gpu-1", which is in the node pool of tenant "team-beta"',
    ],
    [
      "pod/node-name-alpha-general-denied",
      "(spec.nodeName)",
      'runs on node "general-1", which is outside the node pool of tenant "team-alpha" (the node lacks tenant-guard.dev/pool=alpha-gpu)',
    ],
    [
      "pod/node-name-unknown-denied",
      "(spec.nodeName)",
      'runs on node "gpu-node-7", which the directory does not know',
    ],
    [
      "pod/daemonset-pod-alpha-node-denied",
      `(${MATCH_FIELDS})`,
      'requires node "alpha-gpu-1", which is in the node pool of tenant "team-alpha"',
    ],
    [
      "pod/binding-tenant-alpha-node-denied",
      "(target.name)",
      'pod "triton-debug" in namespace "team-gamma" is bound to node "alpha-gpu-1", which is in the node pool of tenant "team-alpha"',
    ],
    [
      "pod/node-pool-leave-denied",
      '(spec.nodeSelector["tenant-guard.dev/pool"])',
      'selects tenant-guard.dev/pool=general, outside the node pool of tenant "team-alpha" (tenant-guard.dev/pool=alpha-gpu)',
    ],
    [
      "workloads/deployment-node-name-denied",
      "(spec.template.spec.nodeName)",
      'runs on node "beta-gpu-1", which is in the node pool of tenant "team-beta"',
    ],
  ])("%s is denied at its field", async (fixture, path, detail) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg)).toEqual(["TG-POD-NODE-POOL"]);
    expect(msg).toContain(path);
    expect(msg).toContain(detail);
  });

  it.each([
    "pod/node-name-alpha-own-allowed",
    "pod/node-name-gamma-general-allowed",
    "pod/node-name-gamma-cpu-allowed",
    "pod/daemonset-pod-cpu-node-allowed",
    "pod/binding-tenant-cpu-node-allowed",
    "pod/binding-scheduler-allowed",
    "pod/node-pool-allowed",
    "workloads/deployment-node-name-allowed",
  ])("%s (the legitimate twin) is allowed", async (fixture) => {
    const r = await validate(fixture);
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
  });

  it("exempts only the scheduler's binding: the same binding by a tenant identity is denied", async () => {
    const scheduler = loadReview("pod/binding-scheduler-allowed");
    const tenant = loadReview("pod/binding-tenant-alpha-node-denied");
    expect(scheduler.request.object).toEqual(tenant.request.object); // same pod, same node
    expect((await validate("pod/binding-scheduler-allowed")).allowed).toBe(true);
    expect((await validate("pod/binding-tenant-alpha-node-denied")).allowed).toBe(false);
  });

  it("keeps a conflicting pool selector through /mutate, so validation (not a silent rewrite) answers", async () => {
    const res = await server.review("/mutate", loadReview("pod/node-pool-leave-denied"));
    const body = res.json<{ response: { allowed: boolean; patch?: string } }>().response;
    expect(body.allowed).toBe(true);
    const ops =
      body.patch === undefined
        ? []
        : (JSON.parse(Buffer.from(body.patch, "base64").toString()) as { path: string }[]);
    expect(ops.map((o) => o.path).filter((p) => p.startsWith("/spec/nodeSelector"))).toEqual([]);
  });
});
