import { describe, expect, it } from "vitest";
import { buildConfig } from "../../../../src/policy/config.ts";
import { policySettings } from "../../../../src/policy/settings.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { buildContext } from "../../../../src/policy/engine.ts";
import { checkPriorityClass } from "../../../../src/policy/pod/priority-class.ts";
import { podScope } from "../../../../src/policy/pod/scope.ts";
import type { Finding, PolicySettings } from "../../../../src/policy/types.ts";
import { MemoryDirectory } from "../../../../src/tenancy/memory.ts";
import { TENANT_LABEL, namespaceObject, tenantObject } from "../../../support/objects.ts";
import { request } from "./world.ts";

// alpha: a default and a list; beta: a default only; gamma: neither; delta: a list naming beta's.
const directory = new MemoryDirectory(
  [
    tenantObject("alpha", {
      podDefaults: { priorityClassName: "alpha-default" },
      allowedPriorityClasses: ["alpha-batch", "system-node-critical"],
    }),
    tenantObject("beta", { podDefaults: { priorityClassName: "beta-high" } }),
    tenantObject("gamma", {}),
    tenantObject("delta", { allowedPriorityClasses: ["beta-high"] }),
    namespaceObject("alpha-ns", "alpha"),
    namespaceObject("beta-ns", "beta"),
    namespaceObject("gamma-ns", "gamma"),
    namespaceObject("delta-ns", "delta"),
    namespaceObject("nobody"),
  ],
  TENANT_LABEL,
);
const view = directory.view();
const base = policySettings(buildConfig(undefined, {}));
const withGlobal = policySettings(
  buildConfig(undefined, { pods: { globalPriorityClasses: ["batch-low", "system-cluster-critical"] } }),
);

function check(namespace: string, spec: JsonRecord, s: PolicySettings = base): Finding[] {
  const out: Finding[] = [];
  const scope = podScope(buildContext(request(namespace, { spec }), view, s));
  checkPriorityClass(scope, spec, "spec.template.spec", out);
  return out;
}
const verdict = (ns: string, cls: string | undefined, s?: PolicySettings): string => {
  const f = check(ns, cls === undefined ? {} : { priorityClassName: cls }, s);
  return f.length === 0 ? "ok" : f.length === 1 ? `denied${f[0]?.victim ? `:${f[0].victim}` : ""}` : "twice";
};

describe("TG-POD-PRIORITY-CLASS", () => {
  it.each([
    ["no class at all", "alpha-ns", undefined, "ok"],
    ["an empty class", "alpha-ns", "", "ok"],
    ["the tenant's default", "alpha-ns", "alpha-default", "ok"],
    ["a class in allowedPriorityClasses", "alpha-ns", "alpha-batch", "ok"],
    ["another tenant's default", "alpha-ns", "beta-high", "denied:beta"],
    ["system-* even when the tenant lists it", "alpha-ns", "system-node-critical", "denied"],
    ["system-* for a tenant without a list", "gamma-ns", "system-cluster-critical", "denied"],
    ["a class no tenant names, for a restricted tenant", "alpha-ns", "batch-low", "denied"],
    ["a class no tenant names, for a tenant with a default only", "beta-ns", "batch-low", "denied"],
    ["a class no tenant names, for a tenant with neither", "gamma-ns", "batch-low", "ok"],
    ["another tenant's class, for a tenant with neither", "gamma-ns", "alpha-batch", "denied:alpha"],
    ["a class two tenants name, used by one of them", "delta-ns", "beta-high", "ok"],
    ["that class used by a third tenant names the first owner", "gamma-ns", "beta-high", "denied:beta"],
    ["a tenant's class from an unowned namespace", "nobody", "alpha-default", "denied:alpha"],
    ["another class from an unowned namespace", "nobody", "system-node-critical", "ok"],
  ])("%s: %s uses %s -> %s", (_name, ns, cls, want) => {
    expect(verdict(ns, cls)).toBe(want);
  });

  it.each([
    ["alpha-ns", "batch-low", "ok"],
    ["alpha-ns", "system-cluster-critical", "ok"],
    ["beta-ns", "batch-low", "ok"],
    ["alpha-ns", "system-node-critical", "denied"],
  ])("the global list opens a class for every tenant: %s uses %s -> %s", (ns, cls, want) => {
    expect(verdict(ns, cls, withGlobal)).toBe(want);
  });

  it("names the pod, both tenants, the field and what to use instead", () => {
    const [f] = check("alpha-ns", { priorityClassName: "beta-high" }, withGlobal);
    expect(f?.code).toBe("TG-POD-PRIORITY-CLASS");
    expect(f?.path).toBe("spec.template.spec.priorityClassName");
    expect(f?.victim).toBe("beta");
    expect(f?.message).toBe(
      'pod "p" in namespace "alpha-ns" uses priority class "beta-high" of tenant "beta", but the namespace ' +
        'belongs to tenant "alpha"; its pods would compete with (and could preempt) "beta"\'s at that ' +
        'tenant\'s priority; use one of "alpha-batch", "alpha-default", "batch-low", ' +
        '"system-cluster-critical", or leave priorityClassName empty',
    );
  });

  it("a system class is named as the control plane's", () => {
    const [f] = check("gamma-ns", { priorityClassName: "system-node-critical" });
    expect(f?.message).toContain("reserved for cluster components");
    expect(f?.message).toContain("leave priorityClassName empty or use a class of your own tenant");
    expect(f?.victim).toBeUndefined();
  });
});
