// What the directory keeps of a Kueue ClusterQueue: its tenant label and the tenants its
// shared-with annotation lists, parsed linearly and bounded (the annotation is user input).
import { describe, expect, it } from "vitest";
import {
  clusterQueueInfo,
  parseSharedWith,
  SHARED_WITH_ANNOTATION,
} from "../../../src/tenancy/cluster-queue.ts";

const LABEL = "tenant-guard.dev/tenant";

describe("parseSharedWith", () => {
  it("splits on commas, trims, drops empty entries and keeps '*'", () => {
    expect([...parseSharedWith(" team-a, ,team-b ,*")]).toEqual(["team-a", "team-b", "*"]);
    expect(parseSharedWith("").size).toBe(0);
    expect(parseSharedWith(undefined).size).toBe(0);
  });

  it("an oversized value shares with nobody (never parsed)", () => {
    expect(parseSharedWith(`team-a,${"x".repeat(20_000)}`).size).toBe(0);
  });
});

describe("clusterQueueInfo", () => {
  it("keeps the name, the tenant label and the shared-with tenants, nothing of the spec", () => {
    const info = clusterQueueInfo(
      {
        apiVersion: "kueue.x-k8s.io/v1beta2",
        kind: "ClusterQueue",
        metadata: {
          name: "cq-a",
          labels: { [LABEL]: "team-a" },
          annotations: { [SHARED_WITH_ANNOTATION]: "team-b" },
        },
        spec: { cohort: "all", resourceGroups: [] },
      },
      LABEL,
    );
    expect(info).toEqual({ name: "cq-a", tenant: "team-a", sharedWith: new Set(["team-b"]) });
  });

  it("an empty tenant label is no tenant; a malformed object yields an unowned, unshared queue", () => {
    expect(
      clusterQueueInfo({ metadata: { name: "cq", labels: { [LABEL]: "" } } }, LABEL).tenant,
    ).toBeUndefined();
    expect(clusterQueueInfo({ metadata: "nope" }, LABEL)).toEqual({
      name: "",
      tenant: undefined,
      sharedWith: new Set(),
    });
    expect(clusterQueueInfo(null, LABEL).sharedWith.size).toBe(0);
  });
});
