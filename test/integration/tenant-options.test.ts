// spec.namespaces (max, labels), spec.cordoned and PersistentVolume writes through the real HTTPS
// server. The world is examples/cluster.yaml plus three tenants: team-delta at its namespaces.max
// (2 of 2) with Pod Security pinned to restricted, team-zeta under its max (1 of 3) with the same
// pin, team-epsilon cordoned. platform-gitops is an exempt identity (requesters.exemptUsers).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsonpatch from "fast-json-patch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview, patchOf } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const PSA = "pod-security.kubernetes.io/enforce";
const WORLD = `
---
apiVersion: tenant-guard.dev/v1alpha1
kind: Tenant
metadata: { name: team-delta }
spec:
  owners: [{ kind: User, name: dave@example.com }]
  namespaces: { max: 2, labels: { ${PSA}: restricted } }
---
apiVersion: tenant-guard.dev/v1alpha1
kind: Tenant
metadata: { name: team-zeta }
spec:
  owners: [{ kind: User, name: zed@example.com }]
  namespaces: { max: 3, labels: { ${PSA}: restricted } }
---
apiVersion: tenant-guard.dev/v1alpha1
kind: Tenant
metadata: { name: team-epsilon }
spec:
  owners: [{ kind: User, name: erin@example.com }]
  cordoned: true
${[
  "delta-a:team-delta",
  "delta-b:team-delta",
  "zeta-a:team-zeta",
  "epsilon-web:team-epsilon",
  "gamma-sandbox:team-gamma",
]
  .map((p) => {
    const [ns, t] = p.split(":");
    return `---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: { tenant-guard.dev/tenant: ${t}, ${PSA}: restricted }\n`;
  })
  .join("")}`;

interface Response {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string };
  patch?: string;
  patchType?: string;
}

let server: TestServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tg-tenant-options-"));
  const world = join(dir, "cluster.yaml");
  writeFileSync(world, readFileSync("examples/cluster.yaml", "utf8") + WORLD);
  server = await startTestServer({
    directory: { source: `file:${world}`, watchFile: false },
    requesters: { exemptUsers: ["platform-gitops"] },
  });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(path: "/validate" | "/mutate", fixture: string): Promise<Response> {
  const review = loadReview(`tenant-options/${fixture}`);
  const res = await server.review(path, review);
  expect(res.status).toBe(200);
  const r = res.json<{ response: Response }>().response;
  expect(r.uid).toBe(review.request.uid);
  return r;
}

const codesIn = (message: string): string[] =>
  [...message.matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1] ?? "");

async function denied(fixture: string, code: string, ...parts: string[]): Promise<string> {
  const r = await post("/validate", fixture);
  expect(r.allowed, fixture).toBe(false);
  const msg = r.status?.message ?? "";
  expect(codesIn(msg)).toEqual([code]);
  for (const p of parts) expect(msg).toContain(p);
  return msg;
}

async function allowed(fixture: string): Promise<void> {
  const r = await post("/validate", fixture);
  expect(r.status?.message, fixture).toBeUndefined();
  expect(r.allowed, fixture).toBe(true);
}

describe("TG-NS-MAX", () => {
  it("a create beyond spec.namespaces.max is denied with the count; under it, allowed", async () => {
    await denied(
      "namespace-max-denied",
      "TG-NS-MAX",
      'namespace "delta-c" would be namespace 3 of tenant "team-delta", which may own at most 2',
    );
    await allowed("namespace-max-allowed");
  });

  it("a relabel that moves a namespace into a tenant at its max is denied, even for an exempt identity", async () => {
    await denied(
      "namespace-max-relabel-denied",
      "TG-NS-MAX",
      'namespace "gamma-sandbox" would be namespace 3',
    );
    await allowed("namespace-max-relabel-allowed");
  });
});

describe("TG-NS-LABELS and the namespace-labels mutator", () => {
  it("creating a namespace with another value than the pinned one is denied (mutation skipped)", async () => {
    await denied(
      "namespace-labels-create-denied",
      "TG-NS-LABELS",
      `sets label "${PSA}" to "privileged" on namespace "zeta-b"`,
      `tenant "team-zeta" pins "${PSA}": "restricted"`,
    );
  });

  it("removing a pinned label is denied; changing another label is allowed", async () => {
    await denied("namespace-labels-remove-denied", "TG-NS-LABELS", `removes label "${PSA}"`);
    await allowed("namespace-labels-other-label-allowed");
  });

  it("changing it through namespaces/status is denied too (the API server keeps metadata there)", async () => {
    await denied("namespace-labels-status-denied", "TG-NS-LABELS", `sets label "${PSA}" to "privileged"`);
  });

  it("and through namespaces/finalize of a terminating namespace (its strategy resets only status)", async () => {
    await denied("namespace-labels-finalize-denied", "TG-NS-LABELS", `removes label "${PSA}"`);
  });

  it.each(["namespace-mutate-unset", "namespace-mutate-other-value"])(
    "%s: /mutate sets the pinned value, touches nothing else, and the result validates",
    async (fixture) => {
      const review = loadReview(`tenant-options/${fixture}`);
      const r = await post("/mutate", fixture);
      expect(r.allowed).toBe(true);
      expect(r.patchType).toBe("JSONPatch");
      const ops = patchOf(r) as jsonpatch.Operation[];
      expect(ops).toHaveLength(1);
      expect(ops[0]!.path).toBe(`/metadata/labels/pod-security.kubernetes.io~1enforce`);
      const ns = jsonpatch.applyPatch(structuredClone(review.request.object), ops, true, false)
        .newDocument as {
        metadata: { labels: Record<string, string> };
      };
      expect(ns.metadata.labels).toEqual({
        "kubernetes.io/metadata.name": "zeta-b",
        "tenant-guard.dev/tenant": "team-zeta",
        [PSA]: "restricted",
      });
    },
  );

  it("a namespace that already carries the pinned value gets no patch (idempotent), and is allowed", async () => {
    const r = await post("/mutate", "namespace-mutate-set");
    expect(r.allowed).toBe(true);
    expect(r.patch).toBeUndefined();
    await allowed("namespace-mutate-set");
  });
});

describe("TG-TENANT-CORDONED", () => {
  it("a cordoned tenant's create is denied and says so; the same create by an uncordoned tenant is allowed", async () => {
    await denied(
      "cordoned-configmap-create-denied",
      "TG-TENANT-CORDONED",
      'tenant "team-epsilon" is cordoned by the platform team',
      'configmap "web-config" in namespace "epsilon-web"',
      "deletes still pass",
    );
    await allowed("cordoned-twin-configmap-create-allowed");
  });

  it("a new namespace for a cordoned tenant is denied", async () => {
    await denied(
      "cordoned-namespace-create-denied",
      "TG-TENANT-CORDONED",
      'tenant "team-epsilon" is cordoned',
    );
  });

  it("deletes by the tenant, its updates that only drop finalizers and the kubelet's status updates pass", async () => {
    await allowed("cordoned-configmap-delete-allowed");
    await allowed("cordoned-finalizer-removal-allowed");
    await allowed("cordoned-pod-status-kubelet-allowed");
  });

  it("the cordoned tenant's identity is stopped in other tenants' namespaces too", async () => {
    const r = await post("/validate", "cordoned-identity-elsewhere-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg)).toContain("TG-TENANT-CORDONED");
    expect(msg).toContain('by "erin@example.com" (acting for tenant "team-epsilon")');
  });
});

describe("PersistentVolumes", () => {
  it("TG-PV-TENANT: a tenant identity creating a PV is denied; a provisioner of no tenant is allowed", async () => {
    await denied(
      "pv-create-tenant-denied",
      "TG-PV-TENANT",
      '"system:serviceaccount:alpha-ci:deployer" acts for tenant "team-alpha" and may not create persistentvolume "alpha-nfs"',
    );
    await allowed("pv-create-provisioner-allowed");
  });

  it("TG-PV-TENANT-LABEL-CHANGE: moving a labelled PV to another tenant is denied; other label edits are allowed", async () => {
    await denied(
      "pv-relabel-denied",
      "TG-PV-TENANT-LABEL-CHANGE",
      'moves to tenant "team-alpha" persistentvolume "beta-archive-pv" of tenant "team-beta"',
    );
    await allowed("pv-relabel-keep-allowed");
  });

  it("persistentvolumes/status: the labels kept there are judged; a tenant may not write it at all; the volume controller may", async () => {
    const r = await post("/validate", "pv-status-relabel-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg).sort()).toEqual(["TG-PV-TENANT", "TG-PV-TENANT-LABEL-CHANGE"]);
    expect(msg).toContain("tenant-guard denied persistentvolumes/status beta-archive-pv");
    expect(msg).toContain('may not update persistentvolume/status "beta-archive-pv" of tenant "team-beta"');
    await denied(
      "pv-status-phase-tenant-denied",
      "TG-PV-TENANT",
      '"system:serviceaccount:alpha-ci:deployer" acts for tenant "team-alpha" and may not update persistentvolume/status "beta-archive-pv"',
    );
    await allowed("pv-status-controller-allowed");
  });
});
