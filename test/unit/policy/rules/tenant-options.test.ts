// Edge cases of the namespace options, cordon and PersistentVolume rules that fixtures through the
// server do not reach: a missing oldObject, generateName, exempt identities, several tenants.
import { describe, expect, it } from "vitest";
import type { PatchOp } from "../../../../src/admission/patch.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { buildContext } from "../../../../src/policy/engine.ts";
import { namespaceLabelsMutator } from "../../../../src/policy/mutators/namespace-labels.ts";
import { namespaceLabelsRule, namespaceMaxRule } from "../../../../src/policy/rules/namespace-options.ts";
import { pvTenantLabelChangeRule, pvTenantRule } from "../../../../src/policy/rules/persistent-volume.ts";
import { tenantCordonedRule } from "../../../../src/policy/rules/tenant-cordoned.ts";
import { namespaceObject, tenantObject } from "../../../support/objects.ts";
import {
  ADMIN,
  ALICE,
  BOB,
  KCM,
  KUBELET,
  LABEL,
  NOBODY,
  codes,
  request,
  run,
  settings,
  worldView,
  type Who,
} from "./world.ts";

const PSA = "pod-security.kubernetes.io/enforce";
const view = worldView([
  tenantObject("delta", {
    owners: [{ kind: "User", name: "dora" }],
    namespaces: { max: 1, labels: { [PSA]: "restricted" } },
  }),
  tenantObject("eps", { owners: [{ kind: "User", name: "erin" }], cordoned: true }),
  namespaceObject("delta-a", "delta"),
  namespaceObject("eps-a", "eps"),
  {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: "beta-pv", labels: { [LABEL]: "beta" } },
    spec: {},
  },
]);
const DORA: Who = { username: "dora", groups: ["system:authenticated"] };
const ERIN: Who = { username: "erin", groups: ["system:authenticated"] };

const ns = (labels: Record<string, string>, name?: string): JsonRecord => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: name === undefined ? { generateName: "delta-", labels } : { name, labels },
});

describe("TG-NS-MAX", () => {
  it("counts a generateName create, and holds exempt identities too", () => {
    const req = (who: Who) =>
      request({
        resource: "namespaces",
        kind: "Namespace",
        who,
        object: ns({ [LABEL]: "delta", [PSA]: "restricted" }),
      });
    expect(codes(run(namespaceMaxRule, req(DORA), { view }))).toEqual(["TG-NS-MAX"]);
    expect(run(namespaceMaxRule, req(KCM), { view })[0]?.message).toContain(
      'namespace "delta-" would be namespace 2',
    );
  });

  it("an update that keeps the namespace in its tenant adds nothing", () => {
    const o = ns({ [LABEL]: "delta", [PSA]: "restricted", team: "x" }, "delta-a");
    const r = request({
      resource: "namespaces",
      kind: "Namespace",
      operation: "UPDATE",
      name: "delta-a",
      namespace: "delta-a",
      who: DORA,
      object: o,
      oldObject: ns({ [LABEL]: "delta" }, "delta-a"),
    });
    expect(run(namespaceMaxRule, r, { view })).toEqual([]);
  });
});

describe("TG-NS-LABELS", () => {
  const upd = (after: Record<string, string>, old: JsonRecord | undefined, who: Who = DORA) =>
    request({
      resource: "namespaces",
      kind: "Namespace",
      operation: "UPDATE",
      name: "delta-a",
      namespace: "delta-a",
      who,
      object: ns(after, "delta-a"),
      oldObject: old,
    });

  it("without an oldObject the directory's tenant decides, and removing the label is denied", () => {
    expect(codes(run(namespaceLabelsRule, upd({ [LABEL]: "delta" }, undefined), { view }))).toEqual([
      "TG-NS-LABELS",
    ]);
  });

  it("a value already off and left as it was passes; fixing it passes; an admin may change it", () => {
    const off = ns({ [LABEL]: "delta", [PSA]: "baseline" }, "delta-a");
    expect(
      run(namespaceLabelsRule, upd({ [LABEL]: "delta", [PSA]: "baseline", a: "b" }, off), { view }),
    ).toEqual([]);
    expect(run(namespaceLabelsRule, upd({ [LABEL]: "delta", [PSA]: "restricted" }, off), { view })).toEqual(
      [],
    );
    expect(
      run(namespaceLabelsRule, upd({ [LABEL]: "delta", [PSA]: "privileged" }, off, ADMIN), { view }),
    ).toEqual([]);
    expect(
      codes(run(namespaceLabelsRule, upd({ [LABEL]: "delta", [PSA]: "privileged" }, off), { view })),
    ).toEqual(["TG-NS-LABELS"]);
  });
});

describe("pinned keys a Tenant cannot own", () => {
  it("the tenant label and the name label in spec.namespaces.labels are ignored by the rule and the mutator", () => {
    const odd = worldView([
      tenantObject("omega", {
        owners: [{ kind: "User", name: "olga" }],
        namespaces: { labels: { [LABEL]: "beta", "kubernetes.io/metadata.name": "x", [PSA]: "baseline" } },
      }),
    ]);
    const r = request({
      resource: "namespaces",
      kind: "Namespace",
      name: "omega-a",
      namespace: "omega-a",
      who: { username: "olga" },
      object: ns(
        { "kubernetes.io/metadata.name": "omega-a", [LABEL]: "omega", [PSA]: "baseline" },
        "omega-a",
      ),
    });
    expect(run(namespaceLabelsRule, r, { view: odd })).toEqual([]);
    const out: PatchOp[] = [];
    const unset = {
      ...r,
      object: ns({ "kubernetes.io/metadata.name": "omega-a", [LABEL]: "omega" }, "omega-a"),
    };
    namespaceLabelsMutator.mutate(buildContext(unset, odd, settings()), out);
    expect(out).toEqual([
      { op: "add", path: "/metadata/labels/pod-security.kubernetes.io~1enforce", value: "baseline" },
    ]);
  });
});

describe("TG-TENANT-CORDONED", () => {
  const cm = (namespace: string, who: Who) =>
    request({
      resource: "configmaps",
      kind: "ConfigMap",
      namespace,
      name: "c",
      who,
      object: { metadata: { name: "c" } },
    });

  it("writes in its namespaces by anyone not exempt; never exempt identities; one finding per tenant", () => {
    expect(codes(run(tenantCordonedRule, cm("eps-a", ALICE), { view }))).toEqual(["TG-TENANT-CORDONED"]);
    expect(codes(run(tenantCordonedRule, cm("eps-a", ERIN), { view }))).toEqual(["TG-TENANT-CORDONED"]);
    expect(run(tenantCordonedRule, cm("eps-a", KUBELET), { view })).toEqual([]);
    expect(run(tenantCordonedRule, cm("eps-a", ADMIN), { view })).toEqual([]);
    expect(run(tenantCordonedRule, cm("alpha", ALICE), { view })).toEqual([]);
  });

  it("deletes are not judged", () => {
    const del = request({
      resource: "configmaps",
      kind: "ConfigMap",
      namespace: "eps-a",
      name: "c",
      operation: "DELETE",
      who: ERIN,
    });
    expect(run(tenantCordonedRule, del, { view })).toEqual([]);
  });
});

describe("PersistentVolumes", () => {
  const pv = (labels: Record<string, string>): JsonRecord => ({
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: "beta-pv", labels },
    spec: {},
  });

  it("TG-PV-TENANT names the other tenant as victim when the PV is labelled for it", () => {
    const r = request({
      resource: "persistentvolumes",
      kind: "PersistentVolume",
      name: "beta-pv",
      operation: "UPDATE",
      who: ALICE,
      object: pv({ [LABEL]: "beta" }),
      oldObject: pv({ [LABEL]: "beta" }),
    });
    const f = run(pvTenantRule, r, { view });
    expect(codes(f)).toEqual(["TG-PV-TENANT"]);
    expect(f[0]).toMatchObject({ tenant: "alpha", victim: "beta" });
    expect(run(pvTenantRule, { ...r, userInfo: { username: "dave", groups: [] } }, { view })).toEqual([]);
  });

  it("TG-PV-TENANT-LABEL-CHANGE falls back to the directory's copy without an oldObject", () => {
    const r = request({
      resource: "persistentvolumes",
      kind: "PersistentVolume",
      name: "beta-pv",
      operation: "UPDATE",
      who: NOBODY,
      object: pv({}),
    });
    expect(run(pvTenantLabelChangeRule, r, { view })[0]).toMatchObject({
      code: "TG-PV-TENANT-LABEL-CHANGE",
      victim: "beta",
    });
    expect(
      run(
        pvTenantLabelChangeRule,
        { ...r, userInfo: { username: BOB.username, groups: ["system:masters"] } },
        { view },
      ),
    ).toEqual([]);
  });
});
