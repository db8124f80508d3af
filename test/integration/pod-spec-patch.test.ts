// TG-POD-SPEC-PATCH through the real HTTPS server against examples/cluster.yaml: an Argo podSpecPatch
// that cannot be read is denied (not passed unread), a `{{...}}` field name is denied, a `{{...}}`
// value is a warning; templateDefaults and artifactGC (siblings of the templates) are judged too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview } from "../support/fixtures.ts";
import { codesIn, reviewFixture, type ReviewResponse } from "../support/review.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const validate = (fixture: string): Promise<ReviewResponse> => reviewFixture(server, `workloads/${fixture}`);

// Sorted: a message lists its findings in rule order, these tests name the set.
const codes = (message: string): string[] => codesIn(message).sort();

describe("TG-POD-SPEC-PATCH", () => {
  it("a podSpecPatch that is not YAML is denied at its field, saying why", async () => {
    const r = await validate("workflow-patch-unreadable-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codes(msg)).toEqual(["TG-POD-SPEC-PATCH"]);
    expect(msg).toContain("(spec.templates[1].podSpecPatch)");
    expect(msg).toContain("cannot read: it is neither JSON nor YAML");
  });

  it("a podSpecPatch whose field name is a template expression is denied", async () => {
    const r = await validate("workflow-patch-template-key-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codes(msg)).toEqual(["TG-POD-SPEC-PATCH"]);
    expect(msg).toContain("{{workflow.parameters.placement}}");
    expect(msg).toContain("field name");
  });

  it("a template expression in a value is allowed with a warning naming the field", async () => {
    const r = await validate("workflow-patch-template-value-warned");
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
    const w = (r.warnings ?? []).filter((x) => x.includes("TG-POD-SPEC-PATCH"));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain("{{inputs.parameters.epochs}}");
    expect(w[0]).toContain("spec.templates[1].podSpecPatch.containers[0].env[0].value");
  });

  it("templateDefaults and the artifact GC pod's patch are judged like templates", async () => {
    const r = await validate("workflow-template-defaults-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codes(msg)).toEqual(["TG-POD-HOSTPATH", "TG-POD-NODE-POOL", "TG-POD-SERVICE-ACCOUNT"]);
    expect(msg).toContain("(spec.templateDefaults.serviceAccountName)");
    expect(msg).toContain("spec.templateDefaults.volumes[0].hostPath");
    expect(msg).toContain("spec.artifactGC.podSpecPatch.nodeSelector");
  });

  it("patches over the per-object budget are findings, not parsed", async () => {
    const review = loadReview("workloads/workflow-inline-patch-allowed");
    const spec = (review.request.object as { spec: { templates: Array<Record<string, unknown>> } }).spec;
    // Three 50,000-character patches (each under the 64 KiB cap): the third passes the 128 KiB budget.
    const big = `containers:\n- name: main\n  args: ["${"x".repeat(50_000)}"]\n`;
    for (let i = 0; i < 3; i++) spec.templates.push({ name: `t${i}`, podSpecPatch: big });
    const res = await server.review("/validate", review);
    const r = res.json<{ response: ReviewResponse }>().response;
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codes(msg)).toEqual(["TG-POD-SPEC-PATCH"]);
    expect(msg).toContain("(spec.templates[4].podSpecPatch)");
    expect(msg).toContain("over 131072 characters together");
  });

  it("their legitimate twin is allowed without warnings", async () => {
    const r = await validate("workflow-template-defaults-allowed");
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
    expect(r.warnings ?? []).toEqual([]);
  });
});
