// A pod's charge against spec.quota, with ResourceQuota's semantics (pods.go): effective requests
// (init containers take the max, sidecars add up), overhead added, limits.* only for cpu, memory
// and ephemeral-storage, extended resources and huge pages as requests.<name> only.
import { describe, expect, it } from "vitest";
import { chargeOf, chargeOfPod, chargeOfSpec, graceEnd, STORED_ONLY } from "../../../src/quota/charge.ts";
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

  it("counts extended resources as requests.<name> only, huge pages as the bare name and requests.<name>", () => {
    const ch = chargeOfSpec({
      containers: [
        c(
          { "nvidia.com/gpu": "2", "hugepages-2Mi": "4Mi" },
          { "nvidia.com/gpu": "2", "hugepages-2Mi": "4Mi" },
        ),
        c({ "hugepages-1Gi": "2Gi" }, { "hugepages-1Gi": "2Gi" }),
      ],
    });
    expect(chargeOf(ch, "requests.nvidia.com/gpu")).toBe(2);
    expect(chargeOf(ch, "limits.nvidia.com/gpu")).toBe(0);
    expect(chargeOf(ch, "nvidia.com/gpu")).toBe(0);
    // pods.go: requestedResourcePrefixes (hugepages-) count under both names; never as limits
    expect(chargeOf(ch, "requests.hugepages-2Mi")).toBe(4 * 2 ** 20);
    expect(chargeOf(ch, "hugepages-2Mi")).toBe(4 * 2 ** 20);
    expect(chargeOf(ch, "hugepages-1Gi")).toBe(2 * 2 ** 30);
    expect(chargeOf(ch, "limits.hugepages-2Mi")).toBe(0);
  });

  it("native names outside cpu, memory, ephemeral-storage and huge pages count nothing", () => {
    const ch = chargeOfSpec({ containers: [c({ "example.kubernetes.io/thing": "1", bogus: "1" })] });
    expect(ch.keys).toEqual(["count/pods", "pods"]);
  });

  it("pod-level resources replace the container sum", () => {
    const ch = chargeOfSpec({ resources: { requests: { cpu: "8" } }, containers: [c({ cpu: "1" })] });
    expect(chargeOf(ch, "requests.cpu")).toBe(8);
  });

  it("pods that count alike share one charge object", () => {
    const a = chargeOfSpec({ containers: [c({ "nvidia.com/gpu": "1" })] });
    const b = chargeOfSpec({ containers: [c({ "nvidia.com/gpu": "1" })] });
    expect(a).toBe(b);
    // admission's unshared charge holds the same keys and amounts, in the same order
    const u = chargeOfSpec({ containers: [c({ "nvidia.com/gpu": "1" })] }, false);
    expect(u).not.toBe(a);
    expect(u).toEqual(a);
  });

  it("Succeeded and Failed pods count only count/pods (every pod in storage); Running and Pending count all", () => {
    const spec = { containers: [c({ cpu: "1" })] };
    for (const phase of ["Succeeded", "Failed"]) {
      const ch = chargeOfPod({ spec, status: { phase } });
      expect(ch).toBe(STORED_ONLY);
      expect(chargeOf(ch, "count/pods")).toBe(1);
      expect(chargeOf(ch, "pods")).toBe(0);
      expect(chargeOf(ch, "cpu")).toBe(0);
    }
    for (const phase of ["Running", "Pending"]) {
      const ch = chargeOfPod({ spec, status: { phase } });
      expect(chargeOf(ch, "cpu")).toBe(1);
      expect(chargeOf(ch, "pods")).toBe(1);
      expect(chargeOf(ch, "count/pods")).toBe(1);
    }
  });

  it("a terminating pod counts until its deletion grace period ends, then only count/pods (QuotaV1Pod)", () => {
    const spec = { containers: [c({ "nvidia.com/gpu": "4" })] };
    const t0 = Date.parse("2026-12-06T02:00:00Z");
    const pod = {
      metadata: { name: "p", deletionTimestamp: "2026-12-06T02:00:00Z", deletionGracePeriodSeconds: 30 },
      spec,
      status: { phase: "Running" },
    };
    expect(graceEnd(pod)).toBe(t0 + 30_000);
    expect(chargeOf(chargeOfPod(pod, t0 + 29_000), "requests.nvidia.com/gpu")).toBe(4);
    expect(chargeOf(chargeOfPod(pod, t0 + 30_000), "requests.nvidia.com/gpu")).toBe(4); // After(), not at
    expect(chargeOfPod(pod, t0 + 30_001)).toBe(STORED_ONLY);
    // Either field missing or unusable: counted (the API server sets both together).
    for (const md of [
      { deletionTimestamp: "2026-12-06T02:00:00Z" },
      { deletionGracePeriodSeconds: 0 },
      { deletionTimestamp: "not a time", deletionGracePeriodSeconds: 0 },
      { deletionTimestamp: "2026-12-06T02:00:00Z", deletionGracePeriodSeconds: "0" },
    ]) {
      expect(graceEnd({ metadata: md })).toBeUndefined();
      expect(chargeOf(chargeOfPod({ metadata: md, spec }, t0 + 10 ** 9), "requests.nvidia.com/gpu")).toBe(4);
    }
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
    l.setPod("a", "p1", STORED_ONLY); // finished: still in storage
    expect(l.tenantUsage("t1").get("pods")).toBe(1);
    expect(l.tenantUsage("t1").get("count/pods")).toBe(2);
    expect(l.tenantUsage("t1").get("requests.nvidia.com/gpu")).toBe(3);
    l.deletePod("a", "p1");
    expect(l.tenantUsage("t1").get("count/pods")).toBe(1);
    owner.set("b", "t2");
    l.namespaceMoved("b", "t1", "t2");
    expect(l.tenantUsage("t1").get("pods")).toBeUndefined();
    expect(l.tenantUsage("t2").get("requests.nvidia.com/gpu")).toBe(3);
    l.deletePod("b", "p2");
    expect(l.tenantUsage("t2").size).toBe(0);
    expect(l.size()).toBe(0);
  });
});
