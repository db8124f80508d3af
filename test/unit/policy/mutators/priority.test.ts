// priorityClassName from the tenant when unset, with spec.priority / spec.preemptionPolicy removed so
// the Priority admission plugin (re-run by the API server after a webhook patch) derives them from
// the new class instead of refusing the pod for a mismatch.
import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { mutate, pod, world } from "./support.ts";

const SPEC = { podDefaults: { priorityClassName: "team-alpha" } };
const prioOps = (patch: readonly { path: string }[]) =>
  patch.filter((op) => /^\/spec\/(priority|preemptionPolicy)/.test(op.path));

interface Case {
  readonly name: string;
  readonly spec: JsonRecord;
  readonly want: JsonRecord;
}

const cases: Case[] = [
  {
    name: "unset, as sent after the Priority plugin ran (priority 0)",
    spec: { priority: 0, preemptionPolicy: "PreemptLowerPriority" },
    want: { priorityClassName: "team-alpha" },
  },
  { name: "unset, no priority fields", spec: {}, want: { priorityClassName: "team-alpha" } },
  {
    name: "empty string counts as unset",
    spec: { priorityClassName: "", priority: 0 },
    want: { priorityClassName: "team-alpha" },
  },
  {
    name: "a class the pod already has is kept with its priority",
    spec: { priorityClassName: "batch-low", priority: -10, preemptionPolicy: "Never" },
    want: { priorityClassName: "batch-low", priority: -10, preemptionPolicy: "Never" },
  },
];

describe("pod-priority mutator", () => {
  it.each(cases)("$name", ({ spec, want }) => {
    const m = mutate(world(SPEC), pod(spec));
    const s = m.pod.spec as JsonRecord;
    expect({
      priorityClassName: s.priorityClassName,
      priority: s.priority,
      preemptionPolicy: s.preemptionPolicy,
    }).toEqual({
      priorityClassName: undefined,
      priority: undefined,
      preemptionPolicy: undefined,
      ...want,
    });
    expect(m.again).toEqual([]);
  });

  it("sets the class and removes exactly the fields that are present", () => {
    expect(
      prioOps(mutate(world(SPEC), pod({ priority: 0, preemptionPolicy: "PreemptLowerPriority" })).patch),
    ).toEqual([
      { op: "add", path: "/spec/priorityClassName", value: "team-alpha" },
      { op: "remove", path: "/spec/priority" },
      { op: "remove", path: "/spec/preemptionPolicy" },
    ]);
    expect(prioOps(mutate(world(SPEC), pod({ priority: 0 })).patch)).toEqual([
      { op: "add", path: "/spec/priorityClassName", value: "team-alpha" },
      { op: "remove", path: "/spec/priority" },
    ]);
  });

  it("a tenant without a priority class changes nothing", () => {
    expect(prioOps(mutate(world({}), pod({ priority: 0 })).patch)).toEqual([]);
  });
});
