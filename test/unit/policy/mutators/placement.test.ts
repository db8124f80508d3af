// Node pool placement: nodeSelector entries and tolerations merged without duplicates; a user value
// for a pool key is kept (validation denies reaching another pool). Idempotent in every case.
import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { mutate, pod, world } from "./support.ts";

const POOL_KEY = "tenant-guard.dev/pool";
const TOL = { key: POOL_KEY, operator: "Equal", value: "alpha-gpu", effect: "NoSchedule" };
const GPU_TOL = { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" };
const SPEC = { nodePool: { nodeSelector: { [POOL_KEY]: "alpha-gpu" }, tolerations: [TOL, GPU_TOL] } };
const DEFAULT_TOLS = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
];
const specOps = (patch: readonly { path: string }[]) =>
  patch.filter((op) => op.path.startsWith("/spec/nodeSelector") || op.path.startsWith("/spec/tolerations"));

interface Case {
  readonly name: string;
  readonly spec: JsonRecord;
  readonly nodeSelector: JsonRecord;
  readonly tolerations: unknown[];
}

const cases: Case[] = [
  {
    name: "no nodeSelector, no tolerations",
    spec: {},
    nodeSelector: { [POOL_KEY]: "alpha-gpu" },
    tolerations: [TOL, GPU_TOL],
  },
  {
    name: "the API server's default tolerations are kept, pool tolerations appended",
    spec: { nodeSelector: { "kubernetes.io/os": "linux" }, tolerations: DEFAULT_TOLS },
    nodeSelector: { "kubernetes.io/os": "linux", [POOL_KEY]: "alpha-gpu" },
    tolerations: [...DEFAULT_TOLS, TOL, GPU_TOL],
  },
  {
    name: "an equal toleration is not duplicated (operator defaults to Equal)",
    spec: { tolerations: [{ key: POOL_KEY, value: "alpha-gpu", effect: "NoSchedule" }] },
    nodeSelector: { [POOL_KEY]: "alpha-gpu" },
    tolerations: [{ key: POOL_KEY, value: "alpha-gpu", effect: "NoSchedule" }, GPU_TOL],
  },
  {
    name: "a user value for the pool key is kept (validation decides)",
    spec: { nodeSelector: { [POOL_KEY]: "beta-gpu" } },
    nodeSelector: { [POOL_KEY]: "beta-gpu" },
    tolerations: [TOL, GPU_TOL],
  },
  {
    name: "null maps count as missing",
    spec: { nodeSelector: null, tolerations: null },
    nodeSelector: { [POOL_KEY]: "alpha-gpu" },
    tolerations: [TOL, GPU_TOL],
  },
];

describe("pod-placement mutator", () => {
  it.each(cases)("$name", ({ spec, nodeSelector, tolerations }) => {
    const m = mutate(world(SPEC), pod(spec));
    const s = m.pod.spec as JsonRecord;
    expect(s.nodeSelector).toEqual(nodeSelector);
    expect(s.tolerations).toEqual(tolerations);
    expect(m.again).toEqual([]);
  });

  it("adds whole maps/arrays where missing, single entries and /- appends otherwise", () => {
    expect(specOps(mutate(world(SPEC), pod()).patch)).toEqual([
      { op: "add", path: "/spec/nodeSelector", value: { [POOL_KEY]: "alpha-gpu" } },
      { op: "add", path: "/spec/tolerations", value: [TOL, GPU_TOL] },
    ]);
    const m = mutate(world(SPEC), pod({ nodeSelector: {}, tolerations: [GPU_TOL] }));
    expect(specOps(m.patch)).toEqual([
      { op: "add", path: "/spec/nodeSelector/tenant-guard.dev~1pool", value: "alpha-gpu" },
      { op: "add", path: "/spec/tolerations/-", value: TOL },
    ]);
  });

  it("a toleration differing only in tolerationSeconds or effect is not the same", () => {
    const near = { ...TOL, effect: "NoExecute", tolerationSeconds: 60 };
    const m = mutate(world(SPEC), pod({ tolerations: [near] }));
    expect((m.pod.spec as JsonRecord).tolerations).toEqual([near, TOL, GPU_TOL]);
    expect(m.again).toEqual([]);
  });

  it("a tenant without a node pool adds nothing; a tolerations value of another type is left alone", () => {
    expect(specOps(mutate(world({}), pod()).patch)).toEqual([]);
    const m = mutate(world(SPEC), pod({ tolerations: "all" }));
    expect(specOps(m.patch)).toEqual([
      { op: "add", path: "/spec/nodeSelector", value: { [POOL_KEY]: "alpha-gpu" } },
    ]);
  });

  it("repeated tolerations in the Tenant are added once", () => {
    const m = mutate(world({ nodePool: { tolerations: [TOL, { ...TOL }] } }), pod());
    expect((m.pod.spec as JsonRecord).tolerations).toEqual([TOL]);
  });
});
