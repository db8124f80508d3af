// TG-CLUSTER-CLASS through the real HTTPS server (port 0, examples/cluster.yaml): a tenant identity
// writing any cluster-scoped class is denied, naming the class and the tenant; the platform team
// (acting for no tenant) and cluster admins writing the same object are allowed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { codesIn, reviewObject, writeReview, type Write } from "../support/review.ts";
import type { ReviewJson } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const ALICE = {
  username: "alice@example.com",
  uid: "a11ce000-0000-4000-8000-000000000001",
  groups: ["team-alpha-devs", "system:authenticated"],
};
const ALPHA_CI = {
  username: "system:serviceaccount:team-alpha:deployer",
  uid: "5a000000-0000-4000-8000-0000000000a1",
  groups: ["system:serviceaccounts", "system:serviceaccounts:team-alpha", "system:authenticated"],
};
const PLATFORM = {
  username: "platform-bot@example.com",
  uid: "p1a7f000-0000-4000-8000-000000000009",
  groups: ["platform-team", "system:authenticated"],
};
const ADMIN = {
  username: "kubernetes-admin",
  uid: "ad000000-0000-4000-8000-000000000000",
  groups: ["system:masters", "system:authenticated"],
};

/** A cluster-scoped write as the API server sends it: no namespace. */
const write = (object: JsonRecord, w: Write): ReviewJson => writeReview(object, w) as unknown as ReviewJson;

const ingressClass: JsonRecord = {
  apiVersion: "networking.k8s.io/v1",
  kind: "IngressClass",
  metadata: {
    name: "alpha-nginx",
    annotations: { "ingressclass.kubernetes.io/is-default-class": "true" },
    creationTimestamp: null,
  },
  spec: { controller: "k8s.io/ingress-nginx" },
};
const CASES: [string, JsonRecord][] = [
  ["IngressClass marked default", ingressClass],
  [
    "GatewayClass",
    {
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "GatewayClass",
      metadata: { name: "alpha-envoy" },
      spec: { controllerName: "gateway.envoyproxy.io/gatewayclass-controller" },
    },
  ],
  [
    "StorageClass marked default",
    {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: {
        name: "alpha-fast",
        annotations: { "storageclass.kubernetes.io/is-default-class": "true" },
      },
      provisioner: "ebs.csi.aws.com",
    },
  ],
  [
    "VolumeAttributesClass (v1beta1)",
    {
      apiVersion: "storage.k8s.io/v1beta1",
      kind: "VolumeAttributesClass",
      metadata: { name: "alpha-iops" },
      driverName: "ebs.csi.aws.com",
      parameters: { iops: "16000" },
    },
  ],
  [
    "PriorityClass with globalDefault",
    {
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { name: "alpha-first" },
      value: 1000000,
      globalDefault: true,
      preemptionPolicy: "PreemptLowerPriority",
    },
  ],
  [
    "RuntimeClass with scheduling",
    {
      apiVersion: "node.k8s.io/v1",
      kind: "RuntimeClass",
      metadata: { name: "nvidia" },
      handler: "nvidia",
      scheduling: { nodeSelector: { "tenant-guard.dev/pool": "alpha-gpu" } },
    },
  ],
  [
    "DeviceClass",
    {
      apiVersion: "resource.k8s.io/v1",
      kind: "DeviceClass",
      metadata: { name: "gpu.example.com" },
      spec: { selectors: [{ cel: { expression: "device.driver == 'gpu.example.com'" } }] },
    },
  ],
];

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

describe("TG-CLUSTER-CLASS: the cluster-scoped classes are the platform's", () => {
  it.each(CASES)("a tenant owner creating a %s is denied", async (_label, object) => {
    const r = await reviewObject(srv, write(object, { user: ALICE }));
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    expect(codesIn(r.status?.message ?? "")).toEqual(["TG-CLUSTER-CLASS"]);
    const name = (object.metadata as { name: string }).name;
    expect(r.status?.message).toContain(
      `"alice@example.com" acts for tenant "team-alpha" and may not create ${(object.kind as string).toLowerCase()} "${name}"`,
    );
  });

  it.each(CASES)(
    "the platform team and a cluster admin creating the same %s are allowed",
    async (_l, object) => {
      for (const user of [PLATFORM, ADMIN]) {
        const r = await reviewObject(srv, write(object, { user }));
        expect(r.allowed, user.username).toBe(true);
        expect(codesIn(Object.values(r.auditAnnotations ?? {}).join(" "))).toEqual([]);
      }
    },
  );

  it("a tenant's service account changing or deleting a class is denied, at metadata.name on delete", async () => {
    const plain = { ...ingressClass, metadata: { name: "alpha-nginx" } };
    const update = await reviewObject(
      srv,
      write(ingressClass, { user: ALPHA_CI, operation: "UPDATE", oldObject: plain }),
    );
    expect(update.allowed).toBe(false);
    expect(update.status?.message).toContain("may not update ingressclass");
    const del = await reviewObject(
      srv,
      write(ingressClass, { user: ALPHA_CI, operation: "DELETE", oldObject: ingressClass }),
    );
    expect(del.allowed).toBe(false);
    expect(del.status?.message).toContain("may not delete ingressclass");
    expect(del.status?.message).toContain("metadata.name");
  });
});
