// Object-count keys with ResourceQuota's names: which spec.quota.hard keys name a counted resource,
// what one created object charges, and the kind -> resource guess file worlds use.
import { describe, expect, it } from "vitest";
import {
  countedResourceOf,
  countedResources,
  guessResource,
  groupOf,
  objectCharge,
} from "../../../src/quota/object-count.ts";

describe("countedResourceOf", () => {
  it.each([
    ["count/rayclusters.ray.io", "ray.io", "rayclusters", "count/rayclusters.ray.io"],
    ["count/deployments.apps", "apps", "deployments", "count/deployments.apps"],
    ["count/services", "", "services", "count/services"],
    ["count/widgets.v2.example.com", "v2.example.com", "widgets", "count/widgets.v2.example.com"],
    // ResourceQuota's legacy names for core kinds count the same objects as their count/ key
    ["secrets", "", "secrets", "count/secrets"],
    ["configmaps", "", "configmaps", "count/configmaps"],
    ["services", "", "services", "count/services"],
    ["persistentvolumeclaims", "", "persistentvolumeclaims", "count/persistentvolumeclaims"],
    ["replicationcontrollers", "", "replicationcontrollers", "count/replicationcontrollers"],
    ["resourcequotas", "", "resourcequotas", "count/resourcequotas"],
  ])("%s counts %s/%s", (key, group, resource, canonical) => {
    expect(countedResourceOf(key)).toEqual({ group, resource, key: canonical });
  });

  it.each([
    "pods", // the pod charge's
    "count/pods",
    "requests.cpu",
    "requests.nvidia.com/gpu",
    "services.loadbalancers", // reads the spec: not an object count
    "requests.storage",
    "count/",
    "count/.ray.io",
    "count/RayClusters.ray.io",
    "count/rayclusters..ray.io",
    "count/rayclusters.ray.io.",
    "count/-x.ray.io",
    "count/a/b",
    `count/${"a".repeat(64)}.ray.io`,
    `count/x.${"a.".repeat(200)}io`,
  ])("%s is not an object-count key", (key) => {
    expect(countedResourceOf(key)).toBeUndefined();
  });

  it("stays linear on a long hostile key", () => {
    const key = `count/${"a".repeat(50)}.${"a-".repeat(100_000)}`;
    const t = process.hrtime.bigint();
    expect(countedResourceOf(key)).toBeUndefined();
    expect(Number(process.hrtime.bigint() - t) / 1e6).toBeLessThan(1000);
  });

  it("countedResources names each resource once, whichever form the budget uses", () => {
    expect(
      countedResources(["secrets", "count/secrets", "requests.cpu", "count/rayclusters.ray.io"]),
    ).toEqual([
      { group: "", resource: "secrets", key: "count/secrets" },
      { group: "ray.io", resource: "rayclusters", key: "count/rayclusters.ray.io" },
    ]);
  });
});

describe("objectCharge", () => {
  it("a core kind with a legacy name charges both keys; any other kind its count/ key; shared per resource", () => {
    expect(objectCharge("", "secrets")).toEqual({ keys: ["count/secrets", "secrets"], values: [1, 1] });
    expect(objectCharge("ray.io", "rayclusters")).toEqual({
      keys: ["count/rayclusters.ray.io"],
      values: [1],
    });
    expect(objectCharge("", "endpoints")).toEqual({ keys: ["count/endpoints"], values: [1] });
    expect(objectCharge("ray.io", "rayclusters")).toBe(objectCharge("ray.io", "rayclusters"));
    expect(Object.isFrozen(objectCharge("", "services").keys)).toBe(true);
  });
});

describe("kind -> resource, as kubectl guesses offline", () => {
  it.each([
    ["RayCluster", "rayclusters"],
    ["Secret", "secrets"],
    ["NetworkPolicy", "networkpolicies"],
    ["Ingress", "ingresses"],
    ["Gateway", "gateways"],
    ["PersistentVolumeClaim", "persistentvolumeclaims"],
  ])("%s -> %s", (kind, resource) => {
    expect(guessResource(kind)).toBe(resource);
  });

  it("groupOf", () => {
    expect(groupOf("ray.io/v1")).toBe("ray.io");
    expect(groupOf("v1")).toBe("");
  });
});
