// How the engine judges an UPDATE (what it adds, not what was there) and resolves a finding that
// protects another tenant (the stricter of the two tenants' modes).
import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../src/k8s/access.ts";
import { buildContext, resolve } from "../../../src/policy/engine.ts";
import { dropExisting } from "../../../src/policy/existing-violations.ts";
import type { Finding } from "../../../src/policy/types.ts";
import { onlyBookkeeping } from "../../../src/policy/update-change.ts";
import { tenantObject } from "../../support/objects.ts";
import { buildEngine } from "./rules/engine-support.ts";
import { ADMIN, ALICE, BOB, LABEL, request, sa, settings, worldView, type Who } from "./rules/world.ts";

const PVC_PROTECTION = sa("kube-system", "pvc-protection-controller");

function pvc(opts: {
  tenant?: string;
  finalizers?: string[];
  terminating?: boolean;
  rv?: string;
  extra?: JsonRecord;
}) {
  return {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: {
      name: "scratch",
      namespace: "alpha",
      resourceVersion: opts.rv ?? "10",
      ...(opts.tenant === undefined ? {} : { labels: { [LABEL]: opts.tenant } }),
      ...(opts.finalizers === undefined ? {} : { finalizers: opts.finalizers }),
      ...(opts.terminating === true ? { deletionTimestamp: "2026-11-24T09:00:00Z" } : {}),
      ...opts.extra,
    },
    spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
  };
}

function update(who: Who, object: JsonRecord, oldObject: JsonRecord, resource = "persistentvolumeclaims") {
  const kind = String(object.kind);
  return request({
    resource,
    kind,
    namespace: "alpha",
    name: "scratch",
    operation: "UPDATE",
    who,
    object,
    oldObject,
  });
}

const engine = buildEngine();
const codesOf = (r: ReturnType<typeof update>): string[] =>
  engine.decide(r, worldView()).findings.map((f) => f.code);

describe("onlyBookkeeping", () => {
  const old = { ...pvc({ tenant: "beta", finalizers: ["a", "b"] }), status: { phase: "Bound" } };
  it.each([
    [
      "a finalizer removed",
      { ...pvc({ tenant: "beta", finalizers: ["b"], rv: "11" }), status: { phase: "Bound" } },
    ],
    [
      "status, generation and managedFields",
      pvc({ tenant: "beta", finalizers: ["a", "b"], extra: { generation: 3, managedFields: [] } }),
    ],
    [
      "map keys in another order",
      {
        status: { phase: "Bound" },
        spec: old.spec,
        metadata: { ...old.metadata },
        kind: old.kind,
        apiVersion: old.apiVersion,
      },
    ],
  ])("is true for %s", (_n, object) => {
    expect(onlyBookkeeping(object, old)).toBe(true);
  });
  it.each([
    ["a finalizer added", pvc({ tenant: "beta", finalizers: ["a", "b", "c"] })],
    ["a label changed", pvc({ tenant: "alpha", finalizers: ["a", "b"] })],
    ["an annotation added", pvc({ tenant: "beta", finalizers: ["a"], extra: { annotations: { x: "y" } } })],
    [
      "the spec changed",
      { ...pvc({ tenant: "beta", finalizers: ["a"] }), spec: { accessModes: ["ReadWriteMany"] } },
    ],
  ])("is false for %s", (_n, object) => {
    expect(onlyBookkeeping(object, old)).toBe(false);
  });
});

describe("updates that change nothing but finalizers", () => {
  const before = pvc({ tenant: "beta", finalizers: ["kubernetes.io/pvc-protection"], terminating: true });
  const after = pvc({ tenant: "beta", finalizers: [], terminating: true, rv: "11" });

  it("pass every content rule: the pvc-protection controller releases a foreign-labelled claim", () => {
    expect(codesOf(update(PVC_PROTECTION, after, before))).toEqual([]);
    expect(codesOf(update(ALICE, after, before))).toEqual([]);
  });

  it("still answer to the requester rule", () => {
    expect(codesOf(update(BOB, after, before))).toEqual(["TG-REQUESTER-CROSS-TENANT"]);
  });

  it("are judged in full when a finalizer is added", () => {
    const added = pvc({
      tenant: "beta",
      finalizers: ["kubernetes.io/pvc-protection", "x"],
      terminating: false,
    });
    const live = pvc({ tenant: "beta", finalizers: ["kubernetes.io/pvc-protection"] });
    expect(codesOf(update(ALICE, added, live))).toEqual(["TG-TENANT-LABEL"]);
  });
});

describe("exempt requesters and terminating objects are judged by what they add", () => {
  const token = (sa: string, data: string) => ({
    apiVersion: "v1",
    kind: "Secret",
    type: "kubernetes.io/service-account-token",
    metadata: {
      name: "scratch",
      namespace: "alpha",
      annotations: { "kubernetes.io/service-account.name": sa },
    },
    data: { token: data },
  });

  it("an admin rotates a grandfathered token secret of another tenant's service account", () => {
    const r = update(ADMIN, token("beta-sync", "bmV3"), token("beta-sync", "b2xk"), "secrets");
    expect(codesOf(r)).toEqual([]);
  });

  it("an admin's update that adds a crossing is still denied", () => {
    // The secret moves from the tenant's own service account to another tenant's.
    const r = update(ADMIN, token("beta-sync", "b2xk"), token("trainer", "b2xk"), "secrets");
    expect(codesOf(r)).toEqual(["TG-SECRET-SA-TOKEN"]);
  });

  it("a tenant's update of the same secret is not excused", () => {
    const r = update(ALICE, token("beta-sync", "bmV3"), token("beta-sync", "b2xk"), "secrets");
    expect(codesOf(r)).toEqual(["TG-SECRET-SA-TOKEN"]);
  });

  it("an annotation on a terminating object adds nothing; relabelling it does", () => {
    const old = pvc({ tenant: "beta", finalizers: ["f"], terminating: true });
    const annotated = pvc({
      tenant: "beta",
      finalizers: ["f"],
      terminating: true,
      extra: { annotations: { a: "b" } },
    });
    expect(codesOf(update(ALICE, annotated, old))).toEqual([]);
    const relabelled = pvc({ tenant: "alpha", finalizers: ["f"], terminating: true });
    expect(codesOf(update(ALICE, relabelled, old))).toEqual(["TG-TENANT-LABEL-CHANGE"]);
  });
});

describe("dropExisting", () => {
  const ref = (path: string, name = "beta-creds"): Finding => ({
    code: "TG-POD-REFERENCE",
    message: `pod references secret "${name}"`,
    path,
  });

  it("matches by what is referenced, not by index", () => {
    const out = [ref("spec.containers[0].env[1].valueFrom")];
    dropExisting(out, 0, [ref("spec.containers[0].env[2].valueFrom")]);
    expect(out).toEqual([]);
  });

  it("lets each old finding excuse one new one, exact paths first", () => {
    const out = [ref("spec.containers[0].env[0].valueFrom"), ref("spec.containers[0].env[1].valueFrom")];
    dropExisting(out, 0, [ref("spec.containers[0].env[1].valueFrom")]);
    expect(out).toEqual([ref("spec.containers[0].env[0].valueFrom")]);
  });

  it("keeps a reference to another object, or at another field", () => {
    const out = [ref("spec.containers[0].env[0].valueFrom", "gamma-creds"), ref("spec.volumes[0].secret")];
    dropExisting(out, 0, [ref("spec.containers[0].env[0].valueFrom")]);
    expect(out).toHaveLength(2);
  });

  it("leaves findings before `from` alone", () => {
    const out = [ref("a[0]"), ref("a[1]")];
    dropExisting(out, 1, [ref("a[0]")]);
    expect(out).toEqual([ref("a[0]")]);
  });
});

describe("resolve: the victim's mode", () => {
  const view = worldView([
    tenantObject("delta", { enforcement: { mode: "Audit" } }),
    tenantObject("epsilon", { enforcement: { mode: "Warn" } }),
  ]);
  // Each finding names its own tenant (Finding.tenant): delta is in Audit, epsilon in Warn, the rest Enforce.
  const ctx = buildContext(
    request({ resource: "pods", kind: "Pod", namespace: "alpha", object: {} }),
    view,
    settings(),
  );
  const finding = (tenant: string, victim?: string): Finding => ({
    code: "TG-POD-REFERENCE",
    message: "m",
    tenant,
    ...(victim === undefined ? {} : { victim }),
  });
  const one = (f: Finding) => resolve([f], ctx)[0];

  it.each([
    ["Audit tenant, Enforce victim: Enforce", "delta", "beta", "Enforce", "victim"],
    ["Audit tenant, Warn victim: Warn", "delta", "epsilon", "Warn", "victim"],
    ["Warn tenant, Audit victim: Warn", "epsilon", "delta", "Warn", "tenant"],
    ["Audit tenant, no victim: Audit", "delta", undefined, "Audit", "tenant"],
    ["Audit tenant, a victim that is no tenant: Audit", "delta", "nobody", "Audit", "tenant"],
    ["the victim is the tenant itself", "delta", "delta", "Audit", "tenant"],
  ])("%s", (_n, tenant, victim, mode, source) => {
    expect(one(finding(tenant, victim))).toMatchObject({ mode, modeSource: source });
  });

  it("a victim's per-rule downgrade cannot weaken the finding below its own tenant's mode", () => {
    const v = worldView([
      tenantObject("zeta", { enforcement: { mode: "Enforce", rules: { "TG-POD-REFERENCE": "Audit" } } }),
    ]);
    const c = buildContext(
      request({ resource: "pods", kind: "Pod", namespace: "alpha", object: {} }),
      v,
      settings(),
    );
    expect(resolve([{ code: "TG-POD-REFERENCE", message: "m", victim: "zeta" }], c)[0]).toMatchObject({
      mode: "Enforce",
      modeSource: "global",
    });
  });

  it("internal failures ignore victims", () => {
    expect(one({ code: "TG-INTERNAL", message: "boom", victim: "beta" })).toMatchObject({
      mode: "Enforce",
      modeSource: "global",
    });
  });
});
