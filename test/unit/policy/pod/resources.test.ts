import { describe, expect, it } from "vitest";
import type { Finding } from "../../../../src/policy/types.ts";
import {
  checkResourceRequirements,
  checkResources,
  effectiveAmount,
  formatAmount,
} from "../../../../src/policy/pod/resources.ts";
import { c, messages, run, scopeFor } from "./world.ts";

const res = (requests: object, limits: object = requests) => ({ resources: { requests, limits } });
const P = "TG-POD-RESOURCES";

describe("effectiveAmount", () => {
  it.each([
    ["sum of app containers", { containers: [c(res({ cpu: "1" })), c(res({ cpu: "500m" }))] }, 1.5],
    [
      "init containers take the max, not the sum",
      { initContainers: [c(res({ cpu: "3" })), c(res({ cpu: "2" }))], containers: [c(res({ cpu: "1" }))] },
      3,
    ],
    [
      "app sum wins over a smaller init",
      { initContainers: [c(res({ cpu: "1" }))], containers: [c(res({ cpu: "1" })), c(res({ cpu: "1" }))] },
      2,
    ],
    [
      "sidecars (restartPolicy Always) add to the app sum and to later inits",
      {
        initContainers: [{ ...c(res({ cpu: "1" })), restartPolicy: "Always" }, c(res({ cpu: "2" }))],
        containers: [c(res({ cpu: "1" }))],
      },
      3,
    ],
    [
      "pod-level resources replace the sum",
      { resources: { requests: { cpu: "2" } }, containers: [c(res({ cpu: "1" }))] },
      2,
    ],
    ["numbers are quantities too (CRDs)", { containers: [c({ resources: { requests: { cpu: 2 } } })] }, 2],
    ["bad quantities count as nothing", { containers: [c(res({ cpu: "lots" }))] }, 0],
  ])("%s", (_name, spec, want) => {
    expect(effectiveAmount(spec, "requests", "cpu").value).toBeCloseTo(want, 9);
  });
});

describe("checkResources", () => {
  it.each([
    ["within maxPerPod", { containers: [c(res({ cpu: "2", memory: "4Gi", "nvidia.com/gpu": "2" }))] }, []],
    ["exactly at the maximum", { containers: [c(res({ cpu: "2" })), c(res({ cpu: "2000m" }))] }, []],
    [
      "GPU limit over, one container",
      { containers: [c(res({ cpu: "1" }, { "nvidia.com/gpu": "4" }))] },
      [`${P}@spec.containers[0].resources.limits["nvidia.com/gpu"]`],
    ],
    [
      "memory over across containers",
      { containers: [c(res({ memory: "6Gi" })), c(res({ memory: "3Gi" }))] },
      [
        `${P}@spec.containers[*].resources.requests.memory`,
        `${P}@spec.containers[*].resources.limits.memory`,
      ],
    ],
    [
      "init container over",
      { initContainers: [c(res({ cpu: "8" }))], containers: [c(res({ cpu: "1" }))] },
      [
        `${P}@spec.initContainers[0].resources.requests.cpu`,
        `${P}@spec.initContainers[0].resources.limits.cpu`,
      ],
    ],
  ])("%s", (_name, spec, want) => {
    expect(run(checkResources, "alpha-ns", spec)).toEqual(want);
  });

  it("a tenant without maxPerPod is not capped", () => {
    expect(run(checkResources, "beta-ns", { containers: [c(res({ cpu: "512" }))] })).toEqual([]);
  });

  it("says how much, the maximum and the tenant", () => {
    const [m] = messages(checkResources, "alpha-ns", { containers: [c(res({ memory: "12Gi" }, {}))] });
    expect(m).toContain("requests 12Gi memory");
    expect(m).toContain('maximum of 8Gi per pod of tenant "alpha"');
  });

  it.each([
    ["cpu", 0.25, "250m"],
    ["cpu", 24, "24"],
    ["memory", 2 ** 30 * 1.5, "1.5Gi"],
    ["nvidia.com/gpu", 3, "3"],
  ])("formatAmount(%s, %d) = %s", (r, v, want) => {
    expect(formatAmount(r, v)).toBe(want);
  });
});

describe("checkResourceRequirements (one pod's requirements, e.g. TrainJob resourcesPerNode)", () => {
  const check = (ns: string, r: Record<string, unknown>): string[] => {
    const out: Finding[] = [];
    checkResourceRequirements(scopeFor(ns), r, "spec.trainer.resourcesPerNode", out);
    return out.map((f) => `${f.code}@${f.path ?? ""}`);
  };
  it.each([
    [
      "within the maxima",
      "alpha-ns",
      { requests: { cpu: "4", "nvidia.com/gpu": 2 }, limits: { "nvidia.com/gpu": "2" } },
      [],
    ],
    [
      "GPUs over the maximum, as numbers or strings",
      "alpha-ns",
      { requests: { "nvidia.com/gpu": 4 }, limits: { "nvidia.com/gpu": "4" } },
      [
        `${P}@spec.trainer.resourcesPerNode.requests["nvidia.com/gpu"]`,
        `${P}@spec.trainer.resourcesPerNode.limits["nvidia.com/gpu"]`,
      ],
    ],
    ["a tenant without maxima", "beta-ns", { requests: { "nvidia.com/gpu": 64 } }, []],
    ["malformed requirements", "alpha-ns", { requests: "lots", limits: null }, []],
  ])("%s", (_name, ns, r, want) => {
    expect(check(ns, r)).toEqual(want);
  });
});
