// TG-TENANT-LABEL and TG-TENANT-LABEL-CHANGE rule by rule: which kinds carry the claim, who may
// move an object between tenants, and the victim each finding names.
import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import {
  TENANT_LABEL_CHANGE_CODE,
  TENANT_LABEL_CODE,
  tenantLabelChangeRule,
  tenantLabelRule,
} from "../../../../src/policy/rules/tenant-label.ts";
import { ADMIN, ALICE, BOB, KCM, LABEL, request, run, sa, settings, type Who } from "./world.ts";

function labelled(kind: string, name: string, namespace: string, tenant?: string): JsonRecord {
  const labels: Record<string, string> = { app: name };
  if (tenant !== undefined) labels[LABEL] = tenant;
  return { apiVersion: "v1", kind, metadata: { name, namespace, labels } };
}

interface Change {
  readonly resource?: string;
  readonly kind?: string;
  readonly group?: string;
  readonly namespace?: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly who: Who;
  readonly subResource?: string;
}

function change(c: Change) {
  const kind = c.kind ?? "ServiceAccount";
  const ns = c.namespace ?? "alpha";
  return request({
    group: c.group ?? "",
    resource: c.resource ?? "serviceaccounts",
    kind,
    namespace: ns,
    name: "beta-sync",
    operation: "UPDATE",
    who: c.who,
    subResource: c.subResource ?? "",
    object: labelled(kind, "beta-sync", ns, c.to),
    oldObject: labelled(kind, "beta-sync", ns, c.from),
  });
}

describe("TG-TENANT-LABEL-CHANGE", () => {
  it.each([
    ["relabels another tenant's object to the namespace's tenant", "beta", "alpha"],
    ["removes another tenant's label", "beta", undefined],
    ["empties another tenant's label", "beta", ""],
    ["moves it to a third tenant", "beta", "gamma"],
  ])("denies a tenant owner who %s", (_what, from, to) => {
    const out = run(tenantLabelChangeRule, change({ from, to, who: ALICE }));
    expect(out).toEqual([
      expect.objectContaining({
        code: TENANT_LABEL_CHANGE_CODE,
        victim: "beta",
        path: `metadata.labels["${LABEL}"]`,
      }),
    ]);
  });

  it("says who moved what from whom", () => {
    const [f] = run(
      tenantLabelChangeRule,
      change({ from: "beta", to: undefined, who: sa("alpha-ci", "deployer") }),
    );
    expect(f?.message).toBe(
      '"system:serviceaccount:alpha-ci:deployer" removes the tenant label of serviceaccount "beta-sync" in ' +
        'namespace "alpha", which belongs to tenant "beta" (the namespace belongs to tenant "alpha"); only a ' +
        'cluster admin may change which tenant owns an object: keep the tenant label "beta", and use an ' +
        "object of your own tenant instead",
    );
  });

  it.each([
    ["a cluster admin", ADMIN],
    ["the controller manager", KCM],
    ["a controller of an exempt namespace", sa("kube-system", "generic-garbage-collector")],
  ])("lets %s move it", (_n, who) => {
    expect(run(tenantLabelChangeRule, change({ from: "beta", to: "alpha", who }))).toEqual([]);
  });

  it("also judges an object in a namespace no tenant owns, and the status subresource", () => {
    expect(
      run(tenantLabelChangeRule, change({ namespace: "shared", from: "alpha", to: undefined, who: BOB })),
    ).toHaveLength(1);
    expect(
      run(tenantLabelChangeRule, change({ from: "beta", to: "alpha", who: ALICE, subResource: "status" })),
    ).toHaveLength(1);
    expect(
      run(tenantLabelChangeRule, change({ from: "beta", to: "alpha", who: ALICE, subResource: "scale" })),
    ).toEqual([]);
  });

  it.each([
    ["the label only repeats the namespace's tenant", "alpha", undefined],
    ["the object had no label", undefined, "alpha"],
    ["the label does not change", "beta", "beta"],
  ])("has nothing to say when %s", (_n, from, to) => {
    expect(run(tenantLabelChangeRule, change({ from, to, who: ALICE }))).toEqual([]);
  });

  it.each([
    ["pod templates", "", "podtemplates", "PodTemplate"],
    ["Deployments", "apps", "deployments", "Deployment"],
    ["PyTorchJobs", "kubeflow.org", "pytorchjobs", "PyTorchJob"],
    ["RayClusters", "ray.io", "rayclusters", "RayCluster"],
    ["InferenceServices", "serving.kserve.io", "inferenceservices", "InferenceService"],
    ["JobSets", "jobset.x-k8s.io", "jobsets", "JobSet"],
    ["Argo Workflows", "argoproj.io", "workflows", "Workflow"],
    ["PVCs", "", "persistentvolumeclaims", "PersistentVolumeClaim"],
  ])("covers %s", (_n, group, resource, kind) => {
    expect(
      run(tenantLabelChangeRule, change({ group, resource, kind, from: "beta", to: "alpha", who: ALICE })),
    ).toHaveLength(1);
  });

  it("ignores kinds that carry no ownership", () => {
    const r = change({
      group: "",
      resource: "services",
      kind: "Service",
      from: "beta",
      to: "alpha",
      who: ALICE,
    });
    expect(run(tenantLabelChangeRule, r)).toEqual([]);
  });

  it("falls back to the directory's copy when a review has no oldObject", () => {
    // The world's beta-sync service account in namespace alpha is labelled beta.
    const r = { ...change({ from: "beta", to: "alpha", who: ALICE }), oldObject: undefined };
    expect(run(tenantLabelChangeRule, r)).toHaveLength(1);
  });
});

describe("TG-TENANT-LABEL", () => {
  const create = (group: string, resource: string, kind: string, tenant: string | undefined) =>
    request({
      group,
      resource,
      kind,
      namespace: "alpha",
      name: "x",
      who: ALICE,
      object: labelled(kind, "x", "alpha", tenant),
    });

  it.each([
    ["", "podtemplates", "PodTemplate"],
    ["kubeflow.org", "pytorchjobs", "PyTorchJob"],
    ["trainer.kubeflow.org", "trainjobs", "TrainJob"],
    ["ray.io", "rayjobs", "RayJob"],
    ["serving.kserve.io", "inferenceservices", "InferenceService"],
    ["jobset.x-k8s.io", "jobsets", "JobSet"],
    ["argoproj.io", "cronworkflows", "CronWorkflow"],
    ["", "secrets", "Secret"],
  ])("checks the claim of %s/%s and names the claimed tenant as victim", (group, resource, kind) => {
    expect(run(tenantLabelRule, create(group, resource, kind, "beta"))).toEqual([
      expect.objectContaining({ code: TENANT_LABEL_CODE, victim: "beta" }),
    ]);
    expect(run(tenantLabelRule, create(group, resource, kind, "alpha"))).toEqual([]);
  });

  it("follows workloads.templates: a configured kind is checked, a switched-off one is not", () => {
    const cfg = settings({
      workloads: {
        builtinCustomResources: false,
        templates: [
          { group: "example.com", kind: "Notebook", resource: "notebooks", templates: ["spec.template"] },
        ],
      },
    });
    expect(
      run(tenantLabelRule, create("example.com", "notebooks", "Notebook", "beta"), { settings: cfg }),
    ).toHaveLength(1);
    expect(
      run(tenantLabelRule, create("kubeflow.org", "pytorchjobs", "PyTorchJob", "beta"), { settings: cfg }),
    ).toEqual([]);
  });

  it("judges an exempt identity's create but not its update", () => {
    const byAdmin = {
      ...create("", "secrets", "Secret", "beta"),
      userInfo: { username: "admin", groups: ["system:masters"] },
    };
    expect(run(tenantLabelRule, byAdmin)).toHaveLength(1);
    const update = change({ resource: "secrets", kind: "Secret", from: "beta", to: "beta", who: ADMIN });
    expect(run(tenantLabelRule, update)).toEqual([]);
    expect(
      run(tenantLabelRule, { ...update, userInfo: { username: "alice", groups: ["alpha-devs"] } }),
    ).toHaveLength(1);
  });
});
