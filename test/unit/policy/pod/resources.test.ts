import { describe, expect, it } from "vitest";
import type { Finding } from "../../../../src/policy/types.ts";
import { effectiveAmount, formatAmount } from "../../../../src/k8s/pod-amounts.ts";
import { checkResourceRequirements, checkResources } from "../../../../src/policy/pod/resources.ts";
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
  ])("%s", (_name, spec, want) => {
    expect(effectiveAmount(spec, "requests", "cpu").value).toBeCloseTo(want, 9);
  });

  it.each([
    ["not a quantity", { containers: [c(), c(res({ cpu: "lots" }))] }, "containers", 1],
    ["an exponent with a fraction", { containers: [c(res({ cpu: "1e2.5" }))] }, "containers", 0],
    ["negative", { initContainers: [c(res({ cpu: "-8" }))] }, "initContainers", 0],
    ["a negative number", { containers: [c({ resources: { requests: { cpu: -3 } } })] }, "containers", 0],
    [
      "not a string or number",
      { containers: [c({ resources: { requests: { cpu: true } } })] },
      "containers",
      0,
    ],
    ["absurdly large", { containers: [c(res({ cpu: "1e30" }))] }, "containers", 0],
    ["pod-level", { resources: { requests: { cpu: "x" } }, containers: [c(res({ cpu: "1" }))] }, "pod", 0],
  ])("a bad quantity is NaN, never 0, and points at its container: %s", (_name, spec, from, index) => {
    const eff = effectiveAmount(spec, "requests", "cpu");
    expect(eff.value).toBeNaN();
    expect([eff.from, eff.index]).toEqual([from, index]);
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

  it.each([
    ["a word", "lots"],
    ["the 30,000-digit exponent with a fraction", `${"9".repeat(30_000)}e2.5`],
    ["30,000 digits", "9".repeat(30_000)],
    ["negative", "-1"],
  ])("an invalid cpu quantity is a finding, not 0: %s", (_name, cpu) => {
    const spec = { containers: [c(res({ cpu: "1" })), c(res({ cpu }, { cpu: "1" }))] };
    expect(run(checkResources, "alpha-ns", spec)).toEqual([`${P}@spec.containers[1].resources.requests.cpu`]);
    const [m] = messages(checkResources, "alpha-ns", spec);
    expect(m).toContain("is not a valid quantity");
    expect(m).toContain('tenant "alpha" caps cpu at 4 per pod');
    expect(m!.length).toBeLessThan(600); // quotes the start of a huge value only
  });

  it("an invalid quantity of a resource the tenant does not cap is left to the API server", () => {
    expect(run(checkResources, "alpha-ns", { containers: [c(res({ "example.com/fpga": "lots" }))] })).toEqual(
      [],
    );
    expect(run(checkResources, "beta-ns", { containers: [c(res({ cpu: "1e2.5" }))] })).toEqual([]);
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
