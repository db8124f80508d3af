import { describe, expect, it } from "vitest";
import { checkPodSpec, POD_CHECKS } from "../../../../src/policy/pod/check-pod-spec.ts";
import { RULES } from "../../../../src/policy/catalogue.ts";
import type { Finding } from "../../../../src/policy/types.ts";
import { c, scopeFor } from "./world.ts";

describe("checkPodSpec", () => {
  it("runs every pod check at the base path and reports all findings", () => {
    const out: Finding[] = [];
    checkPodSpec(
      scopeFor("alpha-ns"),
      {
        serviceAccountName: "beta-sa",
        hostPID: true,
        nodeSelector: { "pool.example/name": "beta-gpu" },
        volumes: [{ name: "h", hostPath: { path: "/" } }],
        containers: [
          c({
            image: "quay.io/x/y:1",
            securityContext: { privileged: true },
            env: [
              { name: "STORAGE_URI", value: "s3://models/beta/x" },
              { name: "K", valueFrom: { secretKeyRef: { name: "beta-secret", key: "k" } } },
            ],
            resources: { limits: { "nvidia.com/gpu": "3" } },
          }),
        ],
      },
      "spec.jobTemplate.spec.template.spec",
      out,
    );
    expect(out.map((f) => f.code).sort()).toEqual(
      [
        "TG-MODEL-STORAGE",
        "TG-POD-HOST-NAMESPACE",
        "TG-POD-HOSTPATH",
        "TG-POD-NODE-POOL",
        "TG-POD-PRIVILEGED",
        "TG-POD-REFERENCE",
        "TG-POD-REGISTRY",
        "TG-POD-RESOURCES",
        "TG-POD-SERVICE-ACCOUNT",
      ].sort(),
    );
    for (const f of out) expect(f.path).toMatch(/^spec\.jobTemplate\.spec\.template\.spec\./);
  });

  it("finds nothing in a clean spec", () => {
    const out: Finding[] = [];
    checkPodSpec(scopeFor("alpha-ns"), { serviceAccountName: "trainer", containers: [c()] }, "spec", out);
    expect(out).toEqual([]);
  });

  it("every pod check has a registered rule with the same code", () => {
    const codes = new Set(RULES.map((r) => r.code));
    for (const check of POD_CHECKS) expect(codes).toContain(check.code);
    expect(codes).toContain("TG-POD-UNOWNED-NAMESPACE");
  });
});
