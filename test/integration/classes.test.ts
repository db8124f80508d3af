// Runtime, storage and DRA device classes through the real HTTPS server against
// examples/cluster.yaml, where team-alpha has allowedRuntimeClasses [nvidia, gvisor] (default
// nvidia), storage.allowedClasses [standard, fast-ssd] (default standard), allowedDeviceClasses
// [gpu.nvidia.com] and maxPerPod nvidia.com/gpu "2". Each denial has an allowed twin.
import jsonpatch from "fast-json-patch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { loadReview, patchOf, type ReviewJson } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Response {
  uid: string;
  allowed: boolean;
  patch?: string;
  status?: { code: number; message: string };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function post(path: "/validate" | "/mutate", r: ReviewJson): Promise<Response> {
  const res = await server.review(path, r);
  expect(res.status).toBe(200);
  const body = res.json<{ response: Response }>();
  expect(body.response.uid).toBe(r.request.uid);
  return body.response;
}

const codesIn = (message: string): string[] =>
  [...message.matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1] ?? "");

async function expectDenied(fixture: string, code: string, path: string, detail: string): Promise<void> {
  const r = await post("/validate", loadReview(fixture));
  expect(r.allowed).toBe(false);
  expect(r.status?.code).toBe(403);
  const msg = r.status?.message ?? "";
  expect(codesIn(msg)).toEqual([code]);
  expect(msg).toContain(`(${path})`);
  expect(msg).toContain(detail);
}

async function expectAllowed(fixture: string | ReviewJson): Promise<void> {
  const r = await post("/validate", typeof fixture === "string" ? loadReview(fixture) : fixture);
  expect(r.status?.message).toBeUndefined();
  expect(r.allowed).toBe(true);
}

/** POST /mutate, apply the patch as the API server does, and return the new review. */
async function mutate(review: ReviewJson): Promise<{ next: ReviewJson; ops: jsonpatch.Operation[] }> {
  const r = await post("/mutate", review);
  expect(r.allowed).toBe(true);
  const ops = patchOf(r) as jsonpatch.Operation[];
  const next = structuredClone(review);
  next.request.object = jsonpatch.applyPatch(structuredClone(review.request.object), ops, true, false)
    .newDocument as JsonRecord;
  return { next, ops };
}

describe("TG-POD-RUNTIME-CLASS", () => {
  it.each([
    ["classes/pod-runtime-class-denied", "spec.runtimeClassName", '"runc-unsandboxed"'],
    ["classes/deployment-runtime-class-denied", "spec.template.spec.runtimeClassName", '"kata-qemu"'],
  ])("%s is denied at its field", async (fixture, path, cls) => {
    await expectDenied(
      fixture,
      "TG-POD-RUNTIME-CLASS",
      path,
      `runtime class ${cls}, which tenant "team-alpha"`,
    );
  });

  it.each(["classes/pod-runtime-class-allowed", "pod-create"])(
    "%s (allowed class, or none) is allowed",
    expectAllowed,
  );

  it("/mutate sets the tenant's default on a pod that names none, never over one it names, and is idempotent", async () => {
    const { next, ops } = await mutate(loadReview("pod-create"));
    expect(ops.filter((o) => o.path === "/spec/runtimeClassName")).toEqual([
      { op: "add", path: "/spec/runtimeClassName", value: "nvidia" },
    ]);
    const again = await mutate(next);
    expect(again.ops).toEqual([]);
    await expectAllowed(next);
    const named = await mutate(loadReview("classes/pod-runtime-class-allowed"));
    expect(named.ops.some((o) => o.path === "/spec/runtimeClassName")).toBe(false);
  });
});

describe("TG-PVC-STORAGE-CLASS", () => {
  it.each([
    ["classes/pvc-storage-class-denied", "spec.storageClassName"],
    ["classes/statefulset-storage-class-denied", "spec.volumeClaimTemplates[0].spec.storageClassName"],
    [
      "classes/pod-ephemeral-storage-class-denied",
      "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.storageClassName",
    ],
  ])("%s is denied at its field", async (fixture, path) => {
    await expectDenied(
      fixture,
      "TG-PVC-STORAGE-CLASS",
      path,
      'storage class "fast-nvme", which tenant "team-alpha" may not use; use one of "fast-ssd", "standard"',
    );
  });

  it.each([
    "classes/pvc-storage-class-allowed",
    "classes/pvc-static-binding-allowed",
    "classes/pvc-no-class-create",
    "volumes/statefulset-claim-template-clone-allowed",
    "volumes/pod-ephemeral-clone-allowed",
  ])('%s (allowed class, "" or none) is allowed', expectAllowed);

  it("/mutate gives a claim with no class the tenant's default, once, and validation allows it", async () => {
    const { next, ops } = await mutate(loadReview("classes/pvc-no-class-create"));
    expect(ops).toEqual([{ op: "add", path: "/spec/storageClassName", value: "standard" }]);
    expect((await mutate(next)).ops).toEqual([]);
    await expectAllowed(next);
  });

  it('/mutate keeps an explicit "" (static binding) and a named class', async () => {
    for (const f of ["classes/pvc-static-binding-allowed", "classes/pvc-storage-class-denied"])
      expect((await mutate(loadReview(f))).ops, f).toEqual([]);
  });
});

describe("TG-DRA-DEVICE-CLASS", () => {
  it.each([
    [
      "dra/resourceclaimtemplate-class-denied",
      "spec.spec.devices.requests[0].exactly.deviceClassName",
      'devices of class "gpu-h100.example.com", which tenant "team-alpha" may not use; use one of "gpu.nvidia.com"',
    ],
    [
      "dra/resourceclaim-first-available-denied",
      "spec.devices.requests[0].firstAvailable[1].deviceClassName",
      'devices of class "gpu.amd.com"',
    ],
    [
      "dra/resourceclaim-v1beta1-class-denied",
      "spec.devices.requests[0].deviceClassName",
      'devices of class "gpu-h100.example.com"',
    ],
    [
      "dra/resourceclaim-count-denied",
      "spec.devices.requests",
      'asks for 8 devices, but tenant "team-alpha" may use at most 2 per pod (maxPerPod nvidia.com/gpu)',
    ],
    [
      "dra/resourceclaimtemplate-all-denied",
      "spec.spec.devices.requests[0].exactly.allocationMode",
      'allocationMode "All" (every matching device)',
    ],
  ])("%s is denied at its field", async (fixture, path, detail) => {
    await expectDenied(fixture, "TG-DRA-DEVICE-CLASS", path, detail);
  });

  it.each([
    "dra/resourceclaimtemplate-allowed",
    "dra/resourceclaim-first-available-allowed",
    "dra/resourceclaim-v1beta1-allowed",
  ])("%s (allowed class, within the cap) is allowed", expectAllowed);

  it("an UPDATE that leaves an admitted claim's spec as it was is not denied again", async () => {
    const r = loadReview("dra/resourceclaim-count-denied");
    r.request.operation = "UPDATE";
    r.request.oldObject = structuredClone(r.request.object);
    (r.request.object as { metadata: { labels: Record<string, string> } }).metadata.labels.stage = "eval";
    await expectAllowed(r);
  });
});
