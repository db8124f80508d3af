// Tenant label + podDefaults labels/annotations: whole maps where missing, single keys otherwise,
// user values kept, keys with "/" and "~" escaped. Every case re-admits the result: empty patch.
import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { LABEL, mutate, pod, world } from "./support.ts";

const SPEC = {
  podDefaults: {
    labels: { "cost-center": "ml-research", "example.com/team": "alpha" },
    annotations: { "tenant-guard.dev/owner-team": "alpha", "example.com/runbook": "https://wiki/ml" },
  },
};
const metaOps = (patch: readonly { path: string }[]) => patch.filter((op) => op.path.startsWith("/metadata"));

interface Case {
  readonly name: string;
  readonly metadata: JsonRecord;
  readonly labels: JsonRecord;
  readonly annotations: JsonRecord;
}

const WANT_LABELS = { [LABEL]: "ml", "cost-center": "ml-research", "example.com/team": "alpha" };
const WANT_ANN = { "tenant-guard.dev/owner-team": "alpha", "example.com/runbook": "https://wiki/ml" };

const cases: Case[] = [
  { name: "no labels, no annotations", metadata: {}, labels: WANT_LABELS, annotations: WANT_ANN },
  {
    name: "null maps count as missing",
    metadata: { labels: null, annotations: null },
    labels: WANT_LABELS,
    annotations: WANT_ANN,
  },
  {
    name: "existing maps get the missing keys",
    metadata: { labels: { app: "trainer" }, annotations: { note: "x" } },
    labels: { app: "trainer", ...WANT_LABELS },
    annotations: { note: "x", ...WANT_ANN },
  },
  {
    name: "a user value for a podDefaults key is kept",
    metadata: {
      labels: { "cost-center": "my-project" },
      annotations: { "tenant-guard.dev/owner-team": "me" },
    },
    labels: { ...WANT_LABELS, "cost-center": "my-project" },
    annotations: { ...WANT_ANN, "tenant-guard.dev/owner-team": "me" },
  },
  {
    name: "a claim for another tenant is left for validation to deny",
    metadata: { labels: { [LABEL]: "other" } },
    labels: { ...WANT_LABELS, [LABEL]: "other" },
    annotations: WANT_ANN,
  },
  {
    name: "an empty tenant label is kept as the user wrote it",
    metadata: { labels: { [LABEL]: "" } },
    labels: { ...WANT_LABELS, [LABEL]: "" },
    annotations: WANT_ANN,
  },
];

describe("pod-labels mutator", () => {
  it.each(cases)("$name", ({ metadata, labels, annotations }) => {
    const m = mutate(world(SPEC), pod({}, metadata));
    const md = m.pod.metadata as JsonRecord;
    expect(md.labels).toEqual(labels);
    expect(md.annotations).toEqual(annotations);
    expect(m.again).toEqual([]);
  });

  it("adds a whole map in one op when it is missing", () => {
    const m = mutate(world(SPEC), pod());
    expect(metaOps(m.patch)).toEqual([
      { op: "add", path: "/metadata/labels", value: WANT_LABELS },
      { op: "add", path: "/metadata/annotations", value: WANT_ANN },
    ]);
  });

  // Tenant keys are qualified names (no "~"); "~" escaping is exercised with user resource names.
  it("escapes / as ~1 in keys", () => {
    const m = mutate(world(SPEC), pod({}, { labels: { app: "x" }, annotations: { note: "x" } }));
    expect(metaOps(m.patch).map((op) => op.path)).toEqual([
      "/metadata/labels/tenant-guard.dev~1tenant",
      "/metadata/labels/cost-center",
      "/metadata/labels/example.com~1team",
      "/metadata/annotations/tenant-guard.dev~1owner-team",
      "/metadata/annotations/example.com~1runbook",
    ]);
  });

  it("a tenant without podDefaults gets only the tenant label; nothing when it is there", () => {
    expect(metaOps(mutate(world({}), pod()).patch)).toEqual([
      { op: "add", path: "/metadata/labels", value: { [LABEL]: "ml" } },
    ]);
    expect(mutate(world({}), pod({}, { labels: { [LABEL]: "ml" } })).patch).toEqual([]);
  });

  it("never takes the tenant label's value from podDefaults.labels", () => {
    const view = world({ podDefaults: { labels: { [LABEL]: "someone-else" } } });
    const m = mutate(view, pod());
    expect((m.pod.metadata as JsonRecord).labels).toEqual({ [LABEL]: "ml" });
    expect(m.again).toEqual([]);
    const bare = pod();
    delete bare.metadata;
    expect(mutate(view, bare).pod.metadata).toEqual({ labels: { [LABEL]: "ml" } });
  });

  it("a user label named __proto__ or constructor is an ordinary key", () => {
    const labels = JSON.parse('{"__proto__": "x", "constructor": "y"}') as JsonRecord;
    const m = mutate(world(SPEC), pod({}, { labels }));
    expect(Object.keys((m.pod.metadata as JsonRecord).labels as JsonRecord)).toContain("cost-center");
    expect(m.again).toEqual([]);
  });

  it("adds metadata when a hand-made review has none", () => {
    const p = pod();
    delete p.metadata;
    const m = mutate(world(SPEC), p);
    expect(m.pod.metadata).toEqual({ labels: WANT_LABELS, annotations: WANT_ANN });
    expect(m.again).toEqual([]);
  });
});
