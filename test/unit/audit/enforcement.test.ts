// Mode resolution: forced > Tenant per-rule > Tenant mode > global per-rule > global mode.
import { describe, expect, it } from "vitest";
import { buildConfig } from "../../../src/policy/config.ts";
import { policySettings } from "../../../src/policy/settings.ts";
import { explainMode, resolveMode } from "../../../src/policy/enforcement.ts";
import { compileTenant } from "../../../src/tenancy/tenant-policy.ts";
import type { TenantSpec } from "../../../src/tenancy/tenant-schema.ts";

const A = "TG-TENANT-LABEL";
const B = "TG-POD-REGISTRY";

function settings(enforcement: Record<string, unknown>) {
  return policySettings(buildConfig(undefined, { enforcement }));
}

function tenant(enforcement: TenantSpec["enforcement"]) {
  return compileTenant("team-alpha", { enforcement }, true);
}

describe("explainMode", () => {
  const cases: [string, Record<string, unknown>, TenantSpec["enforcement"] | undefined, string, string][] = [
    ["global mode only", { mode: "Warn" }, undefined, "Warn", "global"],
    [
      "global per-rule beats global mode",
      { mode: "Enforce", rules: { [A]: "Audit" } },
      undefined,
      "Audit",
      "global-rule",
    ],
    [
      "another rule's setting does not apply",
      { mode: "Enforce", rules: { [B]: "Audit" } },
      undefined,
      "Enforce",
      "global",
    ],
    [
      "tenant mode beats global per-rule",
      { mode: "Enforce", rules: { [A]: "Audit" } },
      { mode: "Warn" },
      "Warn",
      "tenant",
    ],
    [
      "tenant per-rule beats tenant mode",
      { mode: "Enforce" },
      { mode: "Warn", rules: { [A]: "Audit" } },
      "Audit",
      "tenant-rule",
    ],
    ["a tenant may also tighten", { mode: "Audit" }, { rules: { [A]: "Enforce" } }, "Enforce", "tenant-rule"],
    [
      "forced cannot be downgraded by the tenant",
      { mode: "Audit", forced: [A] },
      { mode: "Audit", rules: { [A]: "Warn" } },
      "Enforce",
      "forced",
    ],
    [
      "forced beats a global per-rule downgrade",
      { mode: "Audit", rules: { [A]: "Audit" }, forced: [A] },
      undefined,
      "Enforce",
      "forced",
    ],
    [
      "forcing one rule leaves the others alone",
      { mode: "Audit", forced: [B] },
      { mode: "Warn" },
      "Warn",
      "tenant",
    ],
    ["a Tenant without enforcement falls through", { mode: "Warn" }, {}, "Warn", "global"],
  ];
  for (const [name, global, t, mode, source] of cases) {
    it(name, () => {
      const s = settings(global);
      const policy = t === undefined ? undefined : tenant(t);
      expect(explainMode(A, policy, s)).toEqual({ mode, source });
      expect(resolveMode(A, policy, s)).toBe(mode);
    });
  }

  it("a rule's suggested mode beats the blanket modes but loses to any setting that names the rule", () => {
    const s = settings({ mode: "Enforce" });
    expect(explainMode(A, tenant({ mode: "Audit" }), s, "Warn")).toEqual({
      mode: "Warn",
      source: "rule-default",
    });
    expect(explainMode(A, tenant({ rules: { [A]: "Audit" } }), s, "Warn")).toEqual({
      mode: "Audit",
      source: "tenant-rule",
    });
    expect(explainMode(A, undefined, settings({ mode: "Audit", forced: [A] }), "Warn").mode).toBe("Enforce");
    const named = settings({ mode: "Enforce", rules: { [A]: "Audit" } });
    expect(explainMode(A, undefined, named, "Warn")).toEqual({ mode: "Audit", source: "global-rule" });
    expect(explainMode(A, tenant({ mode: "Warn" }), named, "Enforce")).toEqual({
      mode: "Warn",
      source: "tenant",
    });
  });

  it("rule codes are looked up exactly: prototype names never resolve to a mode", () => {
    const s = settings({ mode: "Warn" });
    expect(explainMode("constructor", tenant({ mode: undefined }), s)).toEqual({
      mode: "Warn",
      source: "global",
    });
    expect(explainMode("__proto__", undefined, s)).toEqual({ mode: "Warn", source: "global" });
  });
});
