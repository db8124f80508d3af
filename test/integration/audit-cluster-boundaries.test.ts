// `tenant-guard audit --cluster` over issue 21's cluster-scoped boundaries, against the list-only
// API server: PersistentVolumes are listed and feed the directory (a claim bound to another tenant's
// volume is reported), DRA ResourceClaims and ResourceClaimTemplates are listed at the newest
// resource.k8s.io version served (v1, else v1beta2, else v1beta1; none at all is no failure), a
// tenant over spec.namespaces.max is reported on its namespaces, and a live namespace whose pinned
// label drifted is TG-NS-LABELS (admission's /mutate would hide it from a create).
import { afterEach, describe, expect, it } from "vitest";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { audit } from "../unit/audit/support/run-audit.ts";
import { startListServer, type ListServer } from "../support/audit-list-server.ts";

const LABEL = "tenant-guard.dev/tenant";
const PSA = "pod-security.kubernetes.io/enforce";

interface Report {
  incomplete?: string[];
  results: {
    apiVersion: string;
    kind: string;
    namespace: string;
    name: string;
    findings: { code: string; mode: string; message: string; path?: string }[];
  }[];
}

const tenant = (name: string, owner: string, spec: JsonRecord): JsonRecord => ({
  apiVersion: "tenant-guard.dev/v1alpha1",
  kind: "Tenant",
  metadata: { name },
  spec: { owners: [{ kind: "User", name: owner }], ...spec },
});
const ns = (name: string, labels: Record<string, string>): JsonRecord => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels: { "kubernetes.io/metadata.name": name, ...labels } },
  spec: { finalizers: ["kubernetes"] },
  status: { phase: "Active" },
});

/** A ResourceClaim in the shape of `version` (v1/v1beta2: requests[].exactly; v1beta1: flat). */
function claim(version: string, name: string, namespace: string, deviceClassName: string): JsonRecord {
  const request =
    version === "v1beta1"
      ? { name: "gpu", deviceClassName, allocationMode: "ExactCount", count: 1 }
      : { name: "gpu", exactly: { deviceClassName, allocationMode: "ExactCount", count: 1 } };
  return {
    apiVersion: `resource.k8s.io/${version}`,
    kind: "ResourceClaim",
    metadata: { name, namespace, uid: `uid-${name}`, resourceVersion: "7" },
    spec: { devices: { requests: [request] } },
  };
}

function world(draVersion: string): JsonRecord[] {
  return [
    tenant("team-delta", "dave@example.com", {
      namespaces: { max: 1, labels: { [PSA]: "restricted" } },
      allowedDeviceClasses: ["gpu.nvidia.com"],
    }),
    tenant("team-echo", "erin@example.com", { namespaces: { labels: { [PSA]: "baseline" } } }),
    ns("delta-a", { [LABEL]: "team-delta", [PSA]: "restricted" }),
    // Relabelled by hand: Pod Security turned off on a tenant namespace.
    ns("delta-b", { [LABEL]: "team-delta", [PSA]: "privileged" }),
    ns("echo-a", { [LABEL]: "team-echo", [PSA]: "baseline" }),
    {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "delta-disk", labels: { [LABEL]: "team-delta" } },
      spec: {
        capacity: { storage: "100Gi" },
        accessModes: ["ReadWriteOnce"],
        storageClassName: "",
        persistentVolumeReclaimPolicy: "Retain",
        nfs: { server: "nfs.example.internal", path: "/exports/delta" },
      },
      status: { phase: "Available" },
    },
    {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: { name: "borrowed", namespace: "echo-a", uid: "uid-borrowed" },
      spec: {
        accessModes: ["ReadWriteOnce"],
        storageClassName: "",
        volumeName: "delta-disk",
        resources: { requests: { storage: "100Gi" } },
      },
      status: { phase: "Pending" },
    },
    claim(draVersion, "tpu-claim", "delta-a", "tpu.google.com"),
    claim(draVersion, "gpu-claim", "delta-a", "gpu.nvidia.com"),
    {
      apiVersion: `resource.k8s.io/${draVersion}`,
      kind: "ResourceClaimTemplate",
      metadata: { name: "tpu-template", namespace: "delta-b" },
      spec: { spec: claim(draVersion, "x", "delta-b", "tpu.google.com").spec as JsonRecord },
    },
  ];
}

function flagged(r: Report): string[] {
  return r.results
    .filter((o) => o.findings.length > 0)
    .map((o) => `${o.kind} ${o.namespace}/${o.name}: ${o.findings.map((f) => f.code).join(",")}`)
    .sort();
}

const DRA = ["resourceclaims", "resourceclaimtemplates"];
let server: ListServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function scan(extra: string[] = []): Promise<{ code: number; report: Report; err: string }> {
  const r = await audit([
    "--cluster",
    "--kubeconfig",
    (server as ListServer).kubeconfig,
    "-o",
    "json",
    ...extra,
  ]);
  return { code: r.code, report: JSON.parse(r.out) as Report, err: r.err };
}

describe("audit --cluster: classes, volumes and namespaces", () => {
  it("reports max, label drift, a claim on another tenant's volume and DRA device classes (resource.k8s.io/v1)", async () => {
    server = await startListServer(world("v1"));
    const { code, report, err } = await scan();
    expect(code).toBe(1);
    expect(report.incomplete).toBeUndefined();
    expect(flagged(report)).toEqual([
      "Namespace /delta-a: TG-NS-MAX",
      "Namespace /delta-b: TG-NS-MAX,TG-NS-LABELS",
      "PersistentVolumeClaim echo-a/borrowed: TG-PVC-VOLUME",
      "ResourceClaim delta-a/tpu-claim: TG-DRA-DEVICE-CLASS",
      "ResourceClaimTemplate delta-b/tpu-template: TG-DRA-DEVICE-CLASS",
    ]);
    const b = report.results.find((o) => o.name === "delta-b");
    const drift = b?.findings.find((f) => f.code === "TG-NS-LABELS");
    expect(drift?.mode).toBe("Enforce");
    expect(drift?.path).toBe(`metadata.labels["${PSA}"]`);
    expect(drift?.message).toContain(
      `has label "${PSA}": "privileged", but the tenant pins "${PSA}": "restricted"`,
    );
    expect(b?.findings.find((f) => f.code === "TG-NS-MAX")?.message).toContain("at most 1");
    // The claims are listed and judged at the version the server serves.
    const tpu = report.results.find((o) => o.name === "tpu-claim");
    expect(tpu?.apiVersion).toBe("resource.k8s.io/v1");
    expect(tpu?.findings[0]?.path).toBe("spec.devices.requests[0].exactly.deviceClassName");
    expect(report.results.find((o) => o.name === "gpu-claim")?.findings).toEqual([]);
    // The PV is a cluster component's to write: listed for the directory, not a finding itself.
    expect(report.results.find((o) => o.name === "delta-disk")?.findings).toEqual([]);
    expect(server.requests.some((q) => q.path === "/api/v1/persistentvolumes")).toBe(true);
    expect(err).toMatch(/listed 1 persistentvolumes/);
    expect(err).toMatch(/listed 2 resourceclaims\n/);
    // Downgraded globally, the same findings are reported and nothing would be denied.
    const warn = await scan(["--enforcement", "Warn"]);
    expect(warn.code).toBe(0);
    expect(flagged(warn.report)).toEqual(flagged(report));
  });

  it("a namespace that carries its pinned labels, a tenant within its max: nothing to report", async () => {
    server = await startListServer(world("v1"));
    server.put(ns("delta-b", { [LABEL]: "team-delta", [PSA]: "restricted" }));
    server.remove(ns("delta-a", {}));
    const { report } = await scan();
    expect(flagged(report).filter((l) => l.startsWith("Namespace"))).toEqual([]);
    // Drift is reported only where the tenant pins the label: removing the pin clears it too.
    server.put(ns("delta-a", { [LABEL]: "team-delta" }));
    server.put(tenant("team-delta", "dave@example.com", { namespaces: { max: 2 } }));
    expect(flagged((await scan()).report).filter((l) => l.startsWith("Namespace"))).toEqual([]);
  });

  it("without the PersistentVolumes (forbidden), the bound claim cannot be judged and the scan says so", async () => {
    server = await startListServer(world("v1"));
    server.forbidden.add("/api/v1/persistentvolumes");
    const { report, err } = await scan();
    expect(report.incomplete).toEqual(["persistentvolumes: 403 cannot list /api/v1/persistentvolumes"]);
    expect(err).toContain("cannot list persistentvolumes (403)");
    expect(flagged(report)).not.toContain("PersistentVolumeClaim echo-a/borrowed: TG-PVC-VOLUME");
  });

  it.each(["v1beta2", "v1beta1"])(
    "a server without resource.k8s.io/v1 is listed at %s, claims judged in that shape",
    async (version) => {
      server = await startListServer(world(version));
      for (const v of ["v1", "v1beta2", "v1beta1"].slice(0, ["v1", "v1beta2", "v1beta1"].indexOf(version)))
        for (const r of DRA) server.unserved.add(`/apis/resource.k8s.io/${v}/${r}`);
      const { code, report, err } = await scan();
      expect(code).toBe(1);
      expect(report.incomplete).toBeUndefined();
      const tried = server.requests.filter((q) => q.path.endsWith("/resourceclaims")).map((q) => q.path);
      expect(tried).toEqual(
        ["v1", "v1beta2", "v1beta1"]
          .slice(0, ["v1", "v1beta2", "v1beta1"].indexOf(version) + 1)
          .map((v) => `/apis/resource.k8s.io/${v}/resourceclaims`),
      );
      expect(err).toContain(`listed 2 resourceclaims (resource.k8s.io/${version})`);
      const tpu = report.results.find((o) => o.name === "tpu-claim");
      expect(tpu?.apiVersion).toBe(`resource.k8s.io/${version}`);
      expect(tpu?.findings.map((f) => [f.code, f.path])).toEqual([
        [
          "TG-DRA-DEVICE-CLASS",
          version === "v1beta1"
            ? "spec.devices.requests[0].deviceClassName"
            : "spec.devices.requests[0].exactly.deviceClassName",
        ],
      ]);
      expect(flagged(report)).toContain("ResourceClaimTemplate delta-b/tpu-template: TG-DRA-DEVICE-CLASS");
    },
  );

  it("a cluster that serves no DRA version: nothing to audit, not an incomplete scan", async () => {
    server = await startListServer(
      world("v1").filter((o) => !String(o.apiVersion).startsWith("resource.k8s.io")),
    );
    for (const v of ["v1", "v1beta2", "v1beta1"])
      for (const r of DRA) server.unserved.add(`/apis/resource.k8s.io/${v}/${r}`);
    const { report } = await scan();
    expect(report.incomplete).toBeUndefined();
    expect(server.requests.filter((q) => q.path.includes("resource.k8s.io")).length).toBe(6);
    expect(flagged(report)).toContain("Namespace /delta-b: TG-NS-MAX,TG-NS-LABELS");
  });

  it("a DRA list that fails for another reason than 404 is reported, not skipped", async () => {
    server = await startListServer(world("v1"));
    server.forbidden.add("/apis/resource.k8s.io/v1/resourceclaims");
    const { report } = await scan();
    expect(report.incomplete).toEqual([
      "resourceclaims: 403 cannot list /apis/resource.k8s.io/v1/resourceclaims",
    ]);
  });
});
