// TG-PVC-DATA-SOURCE and TG-PVC-VOLUME over every place a claim spec is written (PVC, StatefulSet
// claim template, pod and pod-template ephemeral volumes), against a real index with cached PVCs and
// PersistentVolumes, through the engine's own buildContext.
import { describe, expect, it } from "vitest";
import type { AdmissionRequest, Operation } from "../../../../src/admission/types.ts";
import { buildConfig } from "../../../../src/policy/config.ts";
import { policySettings } from "../../../../src/policy/settings.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { buildContext } from "../../../../src/policy/engine.ts";
import { pvcDataSourceRule, pvcVolumeRule } from "../../../../src/policy/rules/pvc-boundaries.ts";
import type { Finding, Rule } from "../../../../src/policy/types.ts";
import { buildIndexFromObjects } from "../../../../src/tenancy/build.ts";
import { TENANT_LABEL, namespaceObject, namespacedObject, tenantObject } from "../../../support/objects.ts";

const pv = (name: string, labels: Record<string, string>, claimRef?: [string, string]): JsonRecord => ({
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name, labels },
  spec: {
    capacity: { storage: "10Gi" },
    accessModes: ["ReadWriteOnce"],
    nfs: { server: "nfs.example.internal", path: `/exports/${name}` },
    ...(claimRef === undefined
      ? {}
      : { claimRef: { kind: "PersistentVolumeClaim", namespace: claimRef[0], name: claimRef[1] } }),
  },
  status: { phase: claimRef === undefined ? "Available" : "Bound" },
});

const view = buildIndexFromObjects(
  [
    tenantObject("alpha", {}),
    tenantObject("beta", { sharedWith: ["gamma"] }),
    tenantObject("gamma", {}),
    namespaceObject("alpha-ns", "alpha"),
    namespaceObject("beta-ns", "beta"),
    namespaceObject("gamma-ns", "gamma"),
    namespaceObject("nobody"),
    namespacedObject("PersistentVolumeClaim", "alpha-ns", "data"),
    namespacedObject("PersistentVolumeClaim", "alpha-ns", "beta-pvc", "beta"),
    namespacedObject("PersistentVolumeClaim", "beta-ns", "beta-data"),
    namespacedObject("PersistentVolumeClaim", "nobody", "golden"),
    pv("beta-bound", {}, ["beta-ns", "beta-data"]),
    pv("beta-free", { [TENANT_LABEL]: "beta", tier: "archive" }),
    pv("alpha-pv", { [TENANT_LABEL]: "alpha", tier: "ckpt" }),
    pv("alpha-bound", {}, ["alpha-ns", "data"]),
    pv("free", { tier: "archive" }),
  ],
  TENANT_LABEL,
);
const settings = policySettings(buildConfig(undefined, {}));

function request(
  namespace: string,
  resource: string,
  object: JsonRecord,
  opts: { operation?: Operation; oldObject?: JsonRecord; group?: string } = {},
): AdmissionRequest {
  const group = opts.group ?? "";
  return {
    uid: "u-1",
    kind: { group, version: "v1", kind: "X" },
    resource: { group, version: "v1", resource },
    subResource: "",
    name: "c",
    namespace,
    operation: opts.operation ?? "CREATE",
    userInfo: { username: "alice", groups: [] },
    object,
    oldObject: opts.oldObject,
    dryRun: false,
  };
}

function run(rule: Rule, req: AdmissionRequest): Finding[] {
  const out: Finding[] = [];
  rule.check(buildContext(req, view, settings), out);
  return out;
}

/** "path victim" per finding. */
function found(rule: Rule, req: AdmissionRequest): string[] {
  return run(rule, req).map((f) => `${f.path ?? ""} ${f.victim ?? "-"}`);
}

const pvc = (spec: JsonRecord): JsonRecord => ({ apiVersion: "v1", kind: "PersistentVolumeClaim", spec });
const claim = (ns: string, spec: JsonRecord, opts?: Parameters<typeof request>[3]) =>
  request(ns, "persistentvolumeclaims", pvc(spec), opts);
const ref = (kind: string, name: string, extra: JsonRecord = {}): JsonRecord => ({ kind, name, ...extra });
const snap = { apiGroup: "snapshot.storage.k8s.io" };

describe("TG-PVC-DATA-SOURCE on PersistentVolumeClaims", () => {
  it("denies cloning a PVC of its own namespace that is labelled for another tenant", () => {
    expect(
      found(pvcDataSourceRule, claim("alpha-ns", { dataSource: ref("PersistentVolumeClaim", "beta-pvc") })),
    ).toEqual(["spec.dataSource.name beta"]);
    const [f] = run(
      pvcDataSourceRule,
      claim("alpha-ns", { dataSource: ref("PersistentVolumeClaim", "beta-pvc") }),
    );
    expect(f?.code).toBe("TG-PVC-DATA-SOURCE");
    expect(f?.message).toMatch(
      /persistent volume claim "beta-pvc" in namespace "alpha-ns".*tenant "beta".*tenant "alpha"/,
    );
  });

  it("allows cloning its own tenant's PVC", () => {
    expect(
      found(pvcDataSourceRule, claim("alpha-ns", { dataSource: ref("PersistentVolumeClaim", "data") })),
    ).toEqual([]);
  });

  it("denies a cross-namespace dataSourceRef into another tenant's namespace, once when mirrored", () => {
    const r = ref("PersistentVolumeClaim", "beta-data", { namespace: "beta-ns" });
    expect(found(pvcDataSourceRule, claim("alpha-ns", { dataSourceRef: r }))).toEqual([
      "spec.dataSourceRef.namespace beta",
    ]);
    const local = ref("PersistentVolumeClaim", "beta-pvc");
    expect(found(pvcDataSourceRule, claim("alpha-ns", { dataSource: local, dataSourceRef: local }))).toEqual([
      "spec.dataSourceRef.name beta",
    ]);
  });

  it("judges VolumeSnapshots and populators by their namespace's tenant", () => {
    const s = ref("VolumeSnapshot", "nightly", { ...snap, namespace: "beta-ns" });
    expect(found(pvcDataSourceRule, claim("alpha-ns", { dataSourceRef: s }))).toEqual([
      "spec.dataSourceRef.namespace beta",
    ]);
    expect(
      found(pvcDataSourceRule, claim("alpha-ns", { dataSource: ref("VolumeSnapshot", "nightly", snap) })),
    ).toEqual([]);
    const pop = ref("Dataset", "imagenet", { apiGroup: "populator.example.io", namespace: "beta-ns" });
    const [f] = run(pvcDataSourceRule, claim("alpha-ns", { dataSourceRef: pop }));
    expect(f?.message).toMatch(/Dataset\.populator\.example\.io "imagenet" in namespace "beta-ns"/);
  });

  it("allows sources a sharing tenant offers and sources in unowned namespaces", () => {
    const r = ref("PersistentVolumeClaim", "beta-data", { namespace: "beta-ns" });
    expect(found(pvcDataSourceRule, claim("gamma-ns", { dataSourceRef: r }))).toEqual([]);
    const golden = ref("PersistentVolumeClaim", "golden", { namespace: "nobody" });
    expect(found(pvcDataSourceRule, claim("alpha-ns", { dataSourceRef: golden }))).toEqual([]);
  });

  it("denies a claim in an unowned namespace cloning a tenant's data", () => {
    const r = ref("PersistentVolumeClaim", "beta-data", { namespace: "beta-ns" });
    expect(found(pvcDataSourceRule, claim("nobody", { dataSourceRef: r }))).toEqual([
      "spec.dataSourceRef.namespace beta",
    ]);
  });

  it("on UPDATE judges only a changed source: an existing crossing does not block a resize", () => {
    const spec = { dataSource: ref("PersistentVolumeClaim", "beta-pvc") };
    const resize = claim(
      "alpha-ns",
      { ...spec, resources: { requests: { storage: "20Gi" } } },
      {
        operation: "UPDATE",
        oldObject: pvc(spec),
      },
    );
    expect(found(pvcDataSourceRule, resize)).toEqual([]);
    const added = claim("alpha-ns", spec, { operation: "UPDATE", oldObject: pvc({}) });
    expect(found(pvcDataSourceRule, added)).toEqual(["spec.dataSource.name beta"]);
  });
});

describe("TG-PVC-DATA-SOURCE in claim templates", () => {
  const crossing = { dataSourceRef: ref("VolumeSnapshot", "nightly", { ...snap, namespace: "beta-ns" }) };

  it("covers every StatefulSet volumeClaimTemplate", () => {
    const sts = {
      spec: {
        template: { spec: { containers: [{ name: "db", image: "x" }] } },
        volumeClaimTemplates: [
          { metadata: { name: "data" }, spec: {} },
          { metadata: { name: "restore" }, spec: crossing },
        ],
      },
    };
    expect(found(pvcDataSourceRule, request("alpha-ns", "statefulsets", sts, { group: "apps" }))).toEqual([
      "spec.volumeClaimTemplates[1].spec.dataSourceRef.namespace beta",
    ]);
  });

  it("covers pods' and pod templates' generic ephemeral volumes", () => {
    const volumes = [
      { name: "scratch", emptyDir: {} },
      {
        name: "clone",
        ephemeral: {
          volumeClaimTemplate: { spec: { dataSource: ref("PersistentVolumeClaim", "beta-pvc") } },
        },
      },
    ];
    expect(
      found(pvcDataSourceRule, request("alpha-ns", "pods", { spec: { volumes, containers: [] } })),
    ).toEqual(["spec.volumes[1].ephemeral.volumeClaimTemplate.spec.dataSource.name beta"]);
    const dep = { spec: { template: { spec: { volumes, containers: [] } } } };
    expect(found(pvcDataSourceRule, request("alpha-ns", "deployments", dep, { group: "apps" }))).toEqual([
      "spec.template.spec.volumes[1].ephemeral.volumeClaimTemplate.spec.dataSource.name beta",
    ]);
  });
});

describe("TG-PVC-VOLUME", () => {
  it("denies volumeName naming a volume bound to another tenant's claim, or labelled for one", () => {
    expect(found(pvcVolumeRule, claim("alpha-ns", { volumeName: "beta-bound" }))).toEqual([
      "spec.volumeName beta",
    ]);
    const [f] = run(pvcVolumeRule, claim("alpha-ns", { volumeName: "beta-bound" }));
    expect(f?.message).toMatch(
      /persistent volume "beta-bound", which is bound to claim "beta-ns\/beta-data" of tenant "beta"/,
    );
    expect(found(pvcVolumeRule, claim("alpha-ns", { volumeName: "beta-free" }))).toEqual([
      "spec.volumeName beta",
    ]);
  });

  it("allows its own, free, shared and unknown volumes", () => {
    for (const name of ["alpha-pv", "alpha-bound", "free", "not-created-yet"])
      expect(found(pvcVolumeRule, claim("alpha-ns", { volumeName: name })), name).toEqual([]);
    expect(found(pvcVolumeRule, claim("gamma-ns", { volumeName: "beta-bound" }))).toEqual([]);
  });

  it("denies a selector matching another tenant's labelled volume, whatever the operators", () => {
    const sel = (selector: JsonRecord) => found(pvcVolumeRule, claim("alpha-ns", { selector }));
    expect(sel({ matchLabels: { tier: "archive" } })).toEqual(["spec.selector beta"]);
    expect(sel({ matchExpressions: [{ key: "tier", operator: "In", values: ["ckpt", "archive"] }] })).toEqual(
      ["spec.selector beta"],
    );
    expect(sel({ matchExpressions: [{ key: "tier", operator: "Exists" }] })).toEqual(["spec.selector beta"]);
    expect(sel({})).toEqual(["spec.selector beta"]); // an empty selector matches every volume
    expect(sel({ matchLabels: { tier: "ckpt" } })).toEqual([]);
    expect(sel({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["archive"] }] })).toEqual([]);
    expect(sel({ matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] })).toEqual([]);
    expect(sel({ matchLabels: { [TENANT_LABEL]: "alpha" } })).toEqual([]);
    expect(
      found(pvcVolumeRule, claim("gamma-ns", { selector: { matchLabels: { tier: "archive" } } })),
    ).toEqual([]);
  });

  it("judges the binder setting volumeName on a pending claim, not a resize of a bound one", () => {
    const bind = claim("alpha-ns", { volumeName: "beta-free" }, { operation: "UPDATE", oldObject: pvc({}) });
    expect(found(pvcVolumeRule, bind)).toEqual(["spec.volumeName beta"]);
    const resize = claim(
      "alpha-ns",
      { volumeName: "beta-bound", resources: { requests: { storage: "20Gi" } } },
      { operation: "UPDATE", oldObject: pvc({ volumeName: "beta-bound" }) },
    );
    expect(found(pvcVolumeRule, resize)).toEqual([]);
  });

  it("covers StatefulSet claim templates and ephemeral volumes", () => {
    const sts = { spec: { volumeClaimTemplates: [{ spec: { volumeName: "beta-bound" } }] } };
    expect(found(pvcVolumeRule, request("alpha-ns", "statefulsets", sts, { group: "apps" }))).toEqual([
      "spec.volumeClaimTemplates[0].spec.volumeName beta",
    ]);
    const pod = {
      spec: {
        containers: [],
        volumes: [
          {
            name: "v",
            ephemeral: { volumeClaimTemplate: { spec: { selector: { matchLabels: { tier: "archive" } } } } },
          },
        ],
      },
    };
    expect(found(pvcVolumeRule, request("alpha-ns", "pods", pod))).toEqual([
      "spec.volumes[0].ephemeral.volumeClaimTemplate.spec.selector beta",
    ]);
  });
});
