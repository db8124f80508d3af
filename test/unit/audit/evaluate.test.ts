// evaluate(): synthetic CREATE requests through the real engine; mutation before validation;
// namespaces defaulted like kubectl; exempt namespaces skipped; the manifests' own namespaces and
// service accounts laid over the directory.
import { describe, expect, it } from "vitest";
import { buildConfig } from "../../../src/policy/config.ts";
import { policySettings } from "../../../src/policy/settings.ts";
import { auditUser, COMPONENT_USER } from "../../../src/audit/identity.ts";
import { evaluate, placed } from "../../../src/audit/evaluate.ts";
import { manifestIndex } from "../../../src/audit/manifest-overlay.ts";
import { OverlayView } from "../../../src/audit/overlay-view.ts";
import { gvkOf, isClusterScoped, pluralOf, resourceOf } from "../../../src/audit/resources.ts";
import type { JsonRecord } from "../../../src/k8s/access.ts";
import { mutatorRegistry, ruleRegistry } from "../../../src/policy/catalogue.ts";
import type { Engine } from "../../../src/policy/engine.ts";
import type { Mutator, Rule } from "../../../src/policy/types.ts";
import { buildIndexFromObjects } from "../../../src/tenancy/build.ts";
import { parseYamlObjects } from "../../../src/tenancy/yaml-objects.ts";

const LABEL = "tenant-guard.dev/tenant";
const world = buildIndexFromObjects(
  [
    {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "team-alpha", labels: { [LABEL]: "team-alpha" } },
    },
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } },
  ],
  LABEL,
);

function engine(rules?: Rule[], mutators?: Mutator[], enforcement: JsonRecord = {}): Engine {
  return {
    rules: ruleRegistry(rules),
    mutators: mutatorRegistry(mutators ?? []),
    settings: policySettings(buildConfig(undefined, { enforcement })),
  };
}

const opts = { user: auditUser(undefined, []), defaultNamespace: "default" };

function pod(labels: Record<string, string>, namespace?: string): JsonRecord {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", ...(namespace ? { namespace } : {}), labels },
    spec: { containers: [{ name: "web", image: "registry.example.com/alpha/web:1" }] },
  };
}

describe("resources", () => {
  it("maps known kinds and pluralises CRD kinds like their CRDs do", () => {
    expect(resourceOf(gvkOf("apps/v1", "Deployment"))).toEqual({
      group: "apps",
      version: "v1",
      resource: "deployments",
    });
    expect(resourceOf(gvkOf("v1", "Endpoints")).resource).toBe("endpoints");
    expect(resourceOf(gvkOf("rbac.authorization.k8s.io/v1", "RoleBinding")).resource).toBe("rolebindings");
    expect(resourceOf(gvkOf("kubeflow.org/v1", "PyTorchJob")).resource).toBe("pytorchjobs");
    expect(resourceOf(gvkOf("serving.kserve.io/v1beta1", "InferenceService")).resource).toBe(
      "inferenceservices",
    );
    expect(pluralOf("NetworkPolicy")).toBe("networkpolicies");
    expect(pluralOf("Ingress")).toBe("ingresses");
    expect(isClusterScoped("ClusterRoleBinding")).toBe(true);
    expect(isClusterScoped("ClusterQueue")).toBe(true);
    expect(isClusterScoped("RayCluster")).toBe(false);
  });
});

describe("placed and identity", () => {
  it("fills in the default namespace for namespaced kinds only, and refuses objects without a kind", () => {
    expect(placed({ object: pod({}) }, "ml").namespace).toBe("ml");
    expect((placed({ object: pod({}) }, "ml").object.metadata as JsonRecord).namespace).toBe("ml");
    expect(placed({ object: pod({}, "team-alpha") }, "ml").namespace).toBe("team-alpha");
    const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } };
    expect(placed({ object: ns }, "ml").namespace).toBe("");
    expect(() => placed({ object: { metadata: {} }, file: "a.yaml", line: 7 }, "d")).toThrow(
      /a\.yaml:7: .*no apiVersion or kind/,
    );
  });

  it("is a cluster component by default and gets the API server's groups with --as", () => {
    expect(auditUser(undefined, []).username).toBe(COMPONENT_USER);
    expect(auditUser("system:serviceaccount:alpha-ci:deployer", []).groups).toEqual([
      "system:serviceaccounts",
      "system:serviceaccounts:alpha-ci",
      "system:authenticated",
    ]);
    expect(auditUser("bob@example.com", ["team-beta-devs"]).groups).toEqual([
      "team-beta-devs",
      "system:authenticated",
    ]);
  });
});

describe("evaluate", () => {
  it("reports the real rules' findings with mode and where the mode came from", () => {
    const r = evaluate(
      { object: pod({ [LABEL]: "team-beta" }, "team-alpha"), file: "p.yaml", line: 3 },
      world,
      engine(),
      opts,
    );
    expect(r).toMatchObject({ kind: "Pod", namespace: "team-alpha", name: "web", file: "p.yaml", line: 3 });
    expect(r.findings.find((f) => f.code === "TG-TENANT-LABEL")).toMatchObject({
      mode: "Enforce",
      modeSource: "global",
    });
  });

  it("validates the object after mutation, as the API server does", () => {
    const addLabel: Mutator = {
      name: "add-team",
      match: [{ group: "", resource: "pods" }],
      operations: ["CREATE"],
      mutate: (_ctx, out) => out.push({ op: "add", path: "/metadata/labels/team~1name", value: "x" }),
    };
    const needsLabel: Rule = {
      code: "TG-TEST-NEEDS-TEAM",
      summary: "pods need team/name",
      match: [{ group: "", resource: "pods" }],
      operations: ["CREATE"],
      check: (ctx, out) => {
        const labels = (ctx.request.object?.metadata as JsonRecord | undefined)?.labels as
          JsonRecord | undefined;
        if (labels?.["team/name"] === undefined) out.push({ code: "TG-TEST-NEEDS-TEAM", message: "missing" });
      },
    };
    const target = { object: pod({}, "team-alpha") };
    expect(evaluate(target, world, engine([needsLabel], []), opts).findings.map((f) => f.code)).toEqual([
      "TG-TEST-NEEDS-TEAM",
    ]);
    expect(evaluate(target, world, engine([needsLabel], [addLabel]), opts).findings).toEqual([]);
    expect((target.object.metadata as { labels: JsonRecord }).labels).toEqual({}); // input untouched
  });

  it("a rule that throws is a TG-INTERNAL finding governed by config only", () => {
    const broken: Rule = {
      code: "TG-TEST-BROKEN",
      summary: "throws",
      match: "*",
      operations: ["CREATE"],
      check: () => {
        throw new Error("boom");
      },
    };
    const r = evaluate(
      { object: pod({}, "team-alpha") },
      world,
      engine([broken], [], { mode: "Audit" }),
      opts,
    );
    expect(r.findings).toEqual([
      {
        code: "TG-INTERNAL",
        mode: "Audit",
        modeSource: "global",
        message: "rule TG-TEST-BROKEN failed: boom",
      },
    ]);
  });

  it("skips objects in exempt namespaces", () => {
    const r = evaluate({ object: pod({ [LABEL]: "team-beta" }, "kube-system") }, world, engine(), opts);
    expect(r.skipped).toMatch(/kube-system/);
    expect(r.findings).toEqual([]);
  });

  it("judges objects against the namespaces created by the same manifests", () => {
    const text = [
      "apiVersion: v1",
      "kind: Namespace",
      "metadata: {name: alpha-new, labels: {tenant-guard.dev/tenant: team-alpha}}",
      "---",
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata: {name: cfg, namespace: alpha-new, labels: {tenant-guard.dev/tenant: team-beta}}",
    ].join("\n");
    const objs = parseYamlObjects(text, "bundle.yaml");
    const view = new OverlayView(world, manifestIndex(objs, LABEL, "default"));
    expect(view.tenantOfNamespace("alpha-new")).toBe("team-alpha");
    expect(view.tenantOfNamespace("team-alpha")).toBe("team-alpha");
    const cm = evaluate(objs[1]!, view, engine(), opts);
    expect(cm.line).toBe(5);
    const f = cm.findings.find((x) => x.code === "TG-TENANT-LABEL");
    expect(f?.message).toContain('namespace belongs to tenant "team-alpha"');
  });
});
