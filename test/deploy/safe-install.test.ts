// A safe install: which namespaces each webhook can block while tenant-guard is down, and that the
// webhook's own pods are scheduled ahead of tenant pods. Selectors are evaluated the way the API
// server does, on the namespaces of a typical cluster.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_TENANT_LABEL } from "../../src/config/schema.ts";
import { DEPLOY, applyComponent, build, findObject, type K8sObject } from "./support/kustomize.ts";
import { namespaceLabels, selects } from "./support/label-selector.ts";
import { webhooksOf, type Webhook } from "./support/webhook-rules.ts";

const VWC = "ValidatingWebhookConfiguration";
const MWC = "MutatingWebhookConfiguration";
const OVERLAYS = ["enforce", "audit", "cert-manager", "ml-platforms", "gateway-api", "scoped"];
const overlay = (name: string): K8sObject[] => build(join(DEPLOY, "overlays", name));

/** A cluster: system namespaces, tenant-guard's own, a platform namespace (CNI) and tenants'. */
const NAMESPACES: Record<string, Record<string, string>> = {
  "kube-system": namespaceLabels("kube-system"),
  "tenant-guard-system": namespaceLabels("tenant-guard-system"),
  "calico-system": namespaceLabels("calico-system"),
  default: namespaceLabels("default"),
  "team-a": namespaceLabels("team-a", { [DEFAULT_TENANT_LABEL]: "team-a" }),
  "team-b-ml": namespaceLabels("team-b-ml", { [DEFAULT_TENANT_LABEL]: "team-b" }),
};

const sentFrom = (w: Webhook): string[] =>
  Object.keys(NAMESPACES).filter((ns) => selects(w.namespaceSelector, NAMESPACES[ns]!));
const hook = (objs: K8sObject[], kind: string, name: string): Webhook => {
  const w = webhooksOf(findObject(objs, kind, "tenant-guard")).find((x) => x.name === name);
  if (w === undefined) throw new Error(`no webhook ${name} in ${kind}`);
  return w;
};

describe("webhook scoping: what a tenant-guard outage can block", () => {
  it.each(OVERLAYS)("%s: the mutating webhook is sent pods of tenant namespaces only", (name) => {
    const w = hook(overlay(name), MWC, "mutate.tenant-guard.dev");
    expect(sentFrom(w)).toEqual(["team-a", "team-b-ml"]);
  });

  it.each(["enforce", "audit", "cert-manager", "ml-platforms"])(
    "%s: the validating webhook keeps unowned namespaces (unownedNamespaces: deny, the requester rule) and never system ones",
    (name) => {
      const w = hook(overlay(name), VWC, "validate.tenant-guard.dev");
      expect(sentFrom(w)).toEqual(["calico-system", "default", "team-a", "team-b-ml"]);
    },
  );

  it.each(["validate.tenant-guard.dev", "requester.validate.tenant-guard.dev"])(
    "scoped: %s is sent objects of tenant namespaces only, and fails closed",
    (name) => {
      const w = hook(overlay("scoped"), VWC, name);
      expect(sentFrom(w)).toEqual(["team-a", "team-b-ml"]);
      expect(w.failurePolicy).toBe("Fail");
    },
  );

  it("enforce: the requester webhook keeps unowned namespaces, never system ones", () => {
    const w = hook(overlay("enforce"), VWC, "requester.validate.tenant-guard.dev");
    expect(sentFrom(w)).toEqual(["calico-system", "default", "team-a", "team-b-ml"]);
  });

  it("scoped: differs from enforce only in one selector expression on each namespaced webhook", () => {
    const scoped = overlay("scoped");
    const enforce = overlay("enforce");
    const unscoped = structuredClone(scoped);
    const hooks = webhooksOf(findObject(unscoped, VWC, "tenant-guard"));
    for (const i of [0, 2]) {
      const exprs = hooks[i]!.namespaceSelector!.matchExpressions!;
      expect(exprs.at(-1)).toEqual({ key: DEFAULT_TENANT_LABEL, operator: "Exists" });
      exprs.pop();
    }
    expect(unscoped).toEqual(enforce);
  });

  it.each(OVERLAYS)(
    "%s: the namespaces webhook has no namespaceSelector (a label change cannot hide a namespace)",
    (name) => {
      expect(hook(overlay(name), VWC, "namespaces.tenant-guard.dev").namespaceSelector).toBeUndefined();
    },
  );

  it.each(OVERLAYS)(
    "%s: the namespaces mutating webhook has no namespaceSelector (a new namespace has no tenant label yet) and is sent namespace creates only",
    (name) => {
      const w = hook(overlay(name), MWC, "namespaces.mutate.tenant-guard.dev");
      expect(w.namespaceSelector).toBeUndefined();
      expect(w.rules.flatMap((r) => r.resources)).toEqual(["namespaces"]);
      expect(w.rules.flatMap((r) => r.operations)).toEqual(["CREATE"]);
      // Break-glass: cluster admins are never sent, so an outage cannot block their namespace creates.
      expect(w.matchConditions?.map((c) => c.expression).join(" ")).toContain("system:masters");
    },
  );

  it("the scoped component refuses to patch a configuration whose first webhook is another one", () => {
    const component = join(DEPLOY, "components/scoped");
    const objs = build(join(DEPLOY, "overlays/enforce"));
    const vwc = findObject(objs, VWC, "tenant-guard") as K8sObject & { webhooks: Webhook[] };
    vwc.webhooks.reverse();
    // Without the patch's test op, this would be patched silently.
    vwc.webhooks[0]!.namespaceSelector = { matchExpressions: [] };
    expect(() => applyComponent(component, objs)).toThrow();
  });
});

describe("priority of tenant-guard's own pods", () => {
  it.each(OVERLAYS)(
    "%s: the Deployment uses a PriorityClass of the build, at the top of the user range",
    (name) => {
      const objs = overlay(name);
      const dep = findObject(objs, "Deployment", "tenant-guard") as K8sObject & {
        spec: { template: { spec: { priorityClassName?: string } } };
      };
      const pcName = dep.spec.template.spec.priorityClassName;
      expect(pcName).toBeDefined();
      // system-* classes may be refused outside kube-system (ResourceQuota limitedResources, GKE).
      expect(pcName).not.toMatch(/^system-/);
      const pc = findObject(objs, "PriorityClass", pcName!) as K8sObject & {
        value: number;
        globalDefault?: boolean;
        preemptionPolicy?: string;
      };
      expect(pc.apiVersion).toBe("scheduling.k8s.io/v1");
      expect(pc.value).toBe(1_000_000_000); // HighestUserDefinablePriority
      expect(pc.globalDefault).toBe(false);
      expect(pc.preemptionPolicy ?? "PreemptLowerPriority").toBe("PreemptLowerPriority");
    },
  );
});
