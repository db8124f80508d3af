// A pod's charge against spec.quota, with ResourceQuota's semantics (pods.go): effective requests
// (init containers take the max, sidecars add up), overhead added, limits.* only for cpu, memory
// and ephemeral-storage, extended resources and huge pages as requests.<name> only.
import { describe, expect, it } from "vitest";
import { chargeOf, chargeOfPod, chargeOfSpec } from "../../../src/quota/charge.ts";
import { UsageLedger } from "../../../src/quota/ledger.ts";

const c = (requests: Record<string, string>, limits: Record<string, string> = {}) => ({
  name: "c",
  resources: { requests, limits },
});

describe("chargeOfSpec", () => {
  it("counts requests, the bare names, limits and one pod", () => {
    const ch = chargeOfSpec({ containers: [c({ cpu: "500m", memory: "1Gi" }, { cpu: "1", memory: "2Gi" })] });
    expect(chargeOf(ch, "pods")).toBe(1);
    expect(chargeOf(ch, "count/pods")).toBe(1);
    expect(chargeOf(ch, "requests.cpu")).toBe(0.5);
    expect(chargeOf(ch, "cpu")).toBe(0.5);
    expect(chargeOf(ch, "limits.cpu")).toBe(1);
    expect(chargeOf(ch, "requests.memory")).toBe(2 ** 30);
    expect(chargeOf(ch, "memory")).toBe(2 ** 30);
    expect(chargeOf(ch, "limits.memory")).toBe(2 ** 31);
  });

  it("takes the largest init container over the app sum, and adds sidecars to both", () => {
    const spec = {
      initContainers: [
        { ...c({ cpu: "1" }), restartPolicy: "Always" }, // sidecar: runs alongside
        c({ cpu: "4" }), // one at a time: 4 + 1 sidecar = 5
      ],
      containers: [c({ cpu: "1" }), c({ cpu: "2" })], // 3 + 1 sidecar = 4
    };
    expect(chargeOf(chargeOfSpec(spec), "requests.cpu")).toBe(5);
    spec.containers.push(c({ cpu: "3" })); // 6 + 1 = 7 > 5
    expect(chargeOf(chargeOfSpec(spec), "requests.cpu")).toBe(7);
  });

  it("adds spec.overhead to requests, and to a limit only where the pod sets that limit", () => {
    const ch = chargeOfSpec({
      containers: [c({ cpu: "1", memory: "1Gi" }, { memory: "2Gi" })],
      overhead: { cpu: "250m", memory: "120Mi" },
    });
    expect(chargeOf(ch, "requests.cpu")).toBe(1.25);
    expect(chargeOf(ch, "requests.memory")).toBe(2 ** 30 + 120 * 2 ** 20);
    expect(chargeOf(ch, "limits.memory")).toBe(2 ** 31 + 120 * 2 ** 20);
    expect(chargeOf(ch, "limits.cpu")).toBe(0);
  });

  it("counts extended resources and huge pages as requests.<name> only", () => {
    const ch = chargeOfSpec({
      containers: [c({ "nvidia.com/gpu": "2", "hugepages-2Mi": "4Mi" }, { "nvidia.com/gpu": "2" })],
    });
    expect(chargeOf(ch, "requests.nvidia.com/gpu")).toBe(2);
    expect(chargeOf(ch, "requests.hugepages-2Mi")).toBe(4 * 2 ** 20);
    expect(chargeOf(ch, "limits.nvidia.com/gpu")).toBe(0);
    expect(chargeOf(ch, "nvidia.com/gpu")).toBe(0);
  });

  it("pod-level resources replace the container sum", () => {
    const ch = chargeOfSpec({ resources: { requests: { cpu: "8" } }, containers: [c({ cpu: "1" })] });
    expect(chargeOf(ch, "requests.cpu")).toBe(8);
  });

  it("pods that count alike share one charge object", () => {
    const a = chargeOfSpec({ containers: [c({ "nvidia.com/gpu": "1" })] });
    const b = chargeOfSpec({ containers: [c({ "nvidia.com/gpu": "1" })] });
    expect(a).toBe(b);
  });

  it("Succeeded and Failed pods count nothing; Running and Pending do", () => {
    const spec = { containers: [c({ cpu: "1" })] };
    for (const phase of ["Succeeded", "Failed"])
      expect(chargeOfPod({ spec, status: { phase } })).toBeUndefined();
    for (const phase of ["Running", "Pending"])
      expect(chargeOf(chargeOfPod({ spec, status: { phase } })!, "cpu")).toBe(1);
  });
});

describe("UsageLedger", () => {
  it("sums per namespace and tenant, replaces a changed pod, and moves totals with the namespace", () => {
    const owner = new Map([["a", "t1"]]);
    const l = new UsageLedger((ns) => owner.get(ns));
    const gpu = (n: string) => chargeOfSpec({ containers: [c({ "nvidia.com/gpu": n })] });
    l.setPod("a", "p1", gpu("2"));
    l.setPod("b", "p2", gpu("3")); // b has no tenant yet
    expect(l.tenantUsage("t1").get("requests.nvidia.com/gpu")).toBe(2);
    owner.set("b", "t1");
    l.namespaceMoved("b", undefined, "t1");
    expect(l.tenantUsage("t1").get("requests.nvidia.com/gpu")).toBe(5);
    l.setPod("a", "p1", gpu("1")); // same pod, new charge: replaced, not added
    expect(l.tenantUsage("t1").get("requests.nvidia.com/gpu")).toBe(4);
    expect(l.tenantUsage("t1").get("pods")).toBe(2);
    l.setPod("a", "p1", undefined); // finished
    expect(l.tenantUsage("t1").get("pods")).toBe(1);
    owner.set("b", "t2");
    l.namespaceMoved("b", "t1", "t2");
    expect(l.tenantUsage("t1").get("pods")).toBeUndefined();
    expect(l.tenantUsage("t2").get("requests.nvidia.com/gpu")).toBe(3);
    l.deletePod("b", "p2");
    expect(l.tenantUsage("t2").size).toBe(0);
    expect(l.size()).toBe(0);
  });
});
