// Default requests/limits: LimitRanger-like semantics, GPUs (no overcommit), init containers,
// ephemeral containers, pod-level resources. Every case applies the patch, checks the resulting
// containers, and checks that a second pass over the result returns an empty patch.
import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { mutate, pod, world } from "./support.ts";

const GPU = "nvidia.com/gpu";
const CPU_MEM = {
  podDefaults: {
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "4Gi" } },
  },
};

interface Case {
  readonly name: string;
  readonly spec: JsonRecord;
  /** resources of the single container (undefined: no `resources` field at all). */
  readonly given: JsonRecord | undefined;
  readonly want: JsonRecord | undefined;
}

const containerOps = (patch: readonly { path: string }[]) =>
  patch.filter((op) => op.path.startsWith("/spec/containers"));

const one = (resources: JsonRecord | undefined): JsonRecord =>
  pod({ containers: [{ name: "main", image: "img", ...(resources === undefined ? {} : { resources }) }] });

const cases: Case[] = [
  {
    name: "no resources at all: default requests and limits",
    spec: CPU_MEM,
    given: undefined,
    want: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "4Gi" } },
  },
  {
    name: "empty resources map: both maps added",
    spec: CPU_MEM,
    given: {},
    want: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "4Gi" } },
  },
  {
    name: "user values are kept, missing ones filled",
    spec: CPU_MEM,
    given: { requests: { cpu: "500m" }, limits: { memory: "1Gi" } },
    want: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "2", memory: "1Gi" } },
  },
  {
    name: "a set limit with no request gets request = limit, even below the default request",
    spec: CPU_MEM,
    given: { limits: { cpu: "50m" } },
    want: { requests: { cpu: "50m", memory: "256Mi" }, limits: { cpu: "50m", memory: "4Gi" } },
  },
  {
    name: "a request above the default limit raises the limit to the request (never lowered)",
    spec: CPU_MEM,
    given: { requests: { cpu: "3", memory: "8Gi" } },
    want: { requests: { cpu: "3", memory: "8Gi" }, limits: { cpu: "3", memory: "8Gi" } },
  },
  {
    name: "a request below the default limit keeps the default limit",
    spec: CPU_MEM,
    given: { requests: { cpu: "1500m" } },
    want: { requests: { cpu: "1500m", memory: "256Mi" }, limits: { cpu: "2", memory: "4Gi" } },
  },
  {
    name: "fully specified container: nothing to do",
    spec: CPU_MEM,
    given: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
    want: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } },
  },
  {
    name: "only default limits: request = default limit (LimitRange defaultRequest defaulting)",
    spec: { podDefaults: { resources: { limits: { memory: "2Gi" } } } },
    given: undefined,
    want: { requests: { memory: "2Gi" }, limits: { memory: "2Gi" } },
  },
  {
    // memory is not the tenant's to default: request = limit for it is the API server's own job.
    name: "only default requests: no limit invented, resources the tenant does not name untouched",
    spec: { podDefaults: { resources: { requests: { cpu: "250m" } } } },
    given: { limits: { memory: "1Gi" } },
    want: { requests: { cpu: "250m" }, limits: { memory: "1Gi" } },
  },
  {
    name: "GPU: a request without a limit gets limit = request",
    spec: {},
    given: { requests: { [GPU]: "1" } },
    want: { requests: { [GPU]: "1" }, limits: { [GPU]: "1" } },
  },
  {
    name: "GPU: a limit without a request gets request = limit",
    spec: {},
    given: { limits: { [GPU]: "2" } },
    want: { requests: { [GPU]: "2" }, limits: { [GPU]: "2" } },
  },
  {
    name: "GPU: never defaulted when neither the user nor the tenant names it",
    spec: { podDefaults: { ...CPU_MEM.podDefaults, maxPerPod: { [GPU]: "2" } } },
    given: undefined,
    want: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "4Gi" } },
  },
  {
    name: "GPU: the tenant's default (limit only) sets request and limit equal",
    spec: { podDefaults: { resources: { limits: { [GPU]: "1" } } } },
    given: undefined,
    want: { requests: { [GPU]: "1" }, limits: { [GPU]: "1" } },
  },
  {
    name: "GPU: a user-set GPU request wins over the tenant's GPU default",
    spec: { podDefaults: { resources: { requests: { [GPU]: "1" } } } },
    given: { requests: { [GPU]: "2" } },
    want: { requests: { [GPU]: "2" }, limits: { [GPU]: "2" } },
  },
  {
    name: "GPU: unequal user values are left for the API server to reject, not rewritten",
    spec: {},
    given: { requests: { [GPU]: "1" }, limits: { [GPU]: "2" } },
    want: { requests: { [GPU]: "1" }, limits: { [GPU]: "2" } },
  },
  {
    name: "huge pages cannot be overcommitted either",
    spec: {},
    given: { limits: { "hugepages-2Mi": "64Mi", memory: "1Gi" }, requests: { memory: "1Gi" } },
    want: {
      requests: { memory: "1Gi", "hugepages-2Mi": "64Mi" },
      limits: { "hugepages-2Mi": "64Mi", memory: "1Gi" },
    },
  },
  {
    name: "a tenant with no podDefaults leaves cpu/memory alone",
    spec: {},
    given: { requests: { cpu: "1" } },
    want: { requests: { cpu: "1" } },
  },
];

describe("pod-resources mutator", () => {
  it.each(cases)("$name", ({ spec, given, want }) => {
    const m = mutate(world(spec), one(given));
    const c = (m.pod.spec as { containers: JsonRecord[] }).containers[0];
    expect(c?.resources).toEqual(want);
    expect(m.again).toEqual([]);
  });

  it("adds whole maps where missing and single keys where the map exists", () => {
    const m = mutate(world(CPU_MEM), one({ requests: { cpu: "1" } }));
    expect(containerOps(m.patch)).toEqual([
      { op: "add", path: "/spec/containers/0/resources/requests/memory", value: "256Mi" },
      { op: "add", path: "/spec/containers/0/resources/limits", value: { cpu: "2", memory: "4Gi" } },
    ]);
  });

  it("escapes resource names with / in paths (nvidia.com~1gpu)", () => {
    const m = mutate(world({}), one({ requests: { [GPU]: "1" }, limits: {} }));
    expect(containerOps(m.patch)).toEqual([
      { op: "add", path: "/spec/containers/0/resources/limits/nvidia.com~1gpu", value: "1" },
    ]);
  });

  it("escapes ~ as ~0 and / as ~1 in a user's own extended resource name", () => {
    const m = mutate(world({}), one({ limits: { "vendor.io/x~y": "1" } }));
    expect(containerOps(m.patch)).toEqual([
      { op: "add", path: "/spec/containers/0/resources/requests", value: { "vendor.io/x~y": "1" } },
    ]);
    const m2 = mutate(world({}), one({ limits: { "vendor.io/x~y": "1" }, requests: {} }));
    expect(containerOps(m2.patch)).toEqual([
      { op: "add", path: "/spec/containers/0/resources/requests/vendor.io~1x~0y", value: "1" },
    ]);
    expect(m2.again).toEqual([]);
  });

  it("defaults init containers (and sidecars) as well as containers", () => {
    const p = pod({
      initContainers: [
        { name: "fetch", image: "img" },
        { name: "proxy", image: "img", restartPolicy: "Always", resources: { limits: { cpu: "1" } } },
      ],
      containers: [
        { name: "a", image: "img" },
        { name: "b", image: "img", resources: { requests: { cpu: "1" } } },
      ],
    });
    const m = mutate(world(CPU_MEM), p);
    const spec = m.pod.spec as { initContainers: JsonRecord[]; containers: JsonRecord[] };
    expect(spec.initContainers.map((c) => c.resources)).toEqual([
      { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "4Gi" } },
      { requests: { cpu: "1", memory: "256Mi" }, limits: { cpu: "1", memory: "4Gi" } },
    ]);
    expect(spec.containers.map((c) => c.resources)).toEqual([
      { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "4Gi" } },
      { requests: { cpu: "1", memory: "256Mi" }, limits: { cpu: "2", memory: "4Gi" } },
    ]);
    expect(m.again).toEqual([]);
  });

  it("never touches ephemeral containers (the API server forbids their resources)", () => {
    const p = pod({
      ephemeralContainers: [{ name: "debug", image: "busybox", targetContainerName: "main" }],
    });
    const m = mutate(world(CPU_MEM), p);
    expect(m.patch.some((op) => op.path.startsWith("/spec/ephemeralContainers"))).toBe(false);
    expect((m.pod.spec as { ephemeralContainers: JsonRecord[] }).ephemeralContainers[0]).not.toHaveProperty(
      "resources",
    );
    expect(m.again).toEqual([]);
  });

  it("leaves resources declared at pod level (spec.resources) to the pod-level budget", () => {
    const p = pod({ resources: { limits: { cpu: "4" } }, containers: [{ name: "main", image: "img" }] });
    const m = mutate(world(CPU_MEM), p);
    const c = (m.pod.spec as { containers: JsonRecord[] }).containers[0];
    expect(c?.resources).toEqual({ requests: { memory: "256Mi" }, limits: { memory: "4Gi" } });
    expect(m.again).toEqual([]);
  });

  it("skips malformed containers and resource maps without throwing or replacing them", () => {
    const p = pod({
      containers: [
        "not-a-container",
        { name: "a", image: "img", resources: "none" },
        { name: "b", resources: { requests: 3 } },
      ],
    });
    const m = mutate(world(CPU_MEM), p);
    expect(containerOps(m.patch)).toEqual([]);
  });

  it("treats a null resources map as missing", () => {
    const m = mutate(world(CPU_MEM), one({ requests: null, limits: { cpu: "1" } }));
    expect((m.pod.spec as { containers: JsonRecord[] }).containers[0]?.resources).toEqual({
      requests: { cpu: "1", memory: "256Mi" },
      limits: { cpu: "1", memory: "4Gi" },
    });
    expect(m.again).toEqual([]);
  });
});
