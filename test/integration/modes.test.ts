// Enforce / Warn / Audit through the real server: the same pod (team-alpha's namespace, labelled
// for team-beta) is denied, warned about or annotated, depending on how the mode resolves.
import { afterEach, describe, expect, it } from "vitest";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { metric, podClaiming, worldWith, type ReviewOut } from "../unit/audit/support/world.ts";

const CODE = "TG-TENANT-LABEL";
let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

async function serverWith(
  alphaEnforcement: string | undefined,
  enforcement: JsonRecord,
): Promise<TestServer> {
  srv = await startTestServer({ directory: { source: await worldWith(alphaEnforcement) }, enforcement });
  return srv;
}

async function validate(s: TestServer, body: unknown): Promise<ReviewOut["response"]> {
  const res = await s.review("/validate", body);
  expect(res.status).toBe(200);
  return res.json<ReviewOut>().response;
}

function reviewLines(s: TestServer): JsonRecord[] {
  return s.logs.filter((l) => l.msg === "review");
}

describe("the three modes, set globally", () => {
  it("Enforce denies with 403 and names the rule", async () => {
    const s = await serverWith(undefined, { mode: "Enforce" });
    const r = await validate(s, podClaiming("team-beta"));
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    expect(r.status?.message).toContain(`[${CODE}]`);
    expect(r.warnings).toBeUndefined();
    expect(r.auditAnnotations?.["tg-tenant-label"]).toMatch(/^Enforce: \[TG-TENANT-LABEL\]/);
  });

  it("Warn allows and returns the finding as an AdmissionReview warning", async () => {
    const s = await serverWith(undefined, { mode: "Warn" });
    const r = await validate(s, podClaiming("team-beta"));
    expect(r.allowed).toBe(true);
    expect(r.status).toBeUndefined();
    expect(r.warnings?.some((w) => w.startsWith(`[${CODE}]`) && w.includes('"team-beta"'))).toBe(true);
    expect(r.auditAnnotations?.["tg-tenant-label"]).toMatch(/^Warn: /);
  });

  it("Audit allows silently for the user, records an audit annotation, a greppable log line and a metric", async () => {
    const s = await serverWith(undefined, { mode: "Audit" });
    const r = await validate(s, podClaiming("team-beta"));
    expect(r.allowed).toBe(true);
    expect(r.status).toBeUndefined();
    expect(r.warnings).toBeUndefined();
    expect(r.auditAnnotations?.["tg-tenant-label"]).toMatch(/^Audit: \[TG-TENANT-LABEL\] pod .*team-beta/);
    const line = reviewLines(s).at(-1);
    expect(line).toMatchObject({ decision: "allowed", audit: true, rules: [`${CODE}:Audit`] });
    const findings = line?.findings as JsonRecord[];
    expect(findings[0]).toMatchObject({
      code: CODE,
      mode: "Audit",
      modeSource: "global",
      path: 'metadata.labels["tenant-guard.dev/tenant"]',
    });
    expect(String(findings[0]?.message)).toContain('labelled for tenant "team-beta"');
    const text = (await s.request("/metrics")).text;
    expect(metric(text, "tenant_guard_rule_findings_total", { rule: CODE, mode: "Audit" })).toBe(1);
    expect(metric(text, "tenant_guard_rule_findings_total", { rule: CODE, mode: "Enforce" })).toBe(0);
  });

  it("a clean request gets neither warnings nor audit annotations in any mode", async () => {
    const s = await serverWith(undefined, { mode: "Audit" });
    const r = await validate(s, podClaiming(undefined));
    expect(r).toEqual({ uid: r.uid, allowed: true });
    const line = reviewLines(s).at(-1);
    expect(line?.audit).toBeUndefined();
    expect(line?.findings).toBeUndefined();
  });
});

describe("most specific wins", () => {
  // "team-omega" is no tenant: no other tenant's mode takes part (see "the victim's mode" below).
  it("a Tenant's mode beats the global mode (Audit for team-alpha under a global Enforce)", async () => {
    const s = await serverWith("{mode: Audit}", { mode: "Enforce" });
    const r = await validate(s, podClaiming("team-omega"));
    expect(r.allowed).toBe(true);
    expect(r.auditAnnotations?.["tg-tenant-label"]).toMatch(/^Audit: /);
  });

  it("a Tenant's per-rule mode beats its own mode", async () => {
    const s = await serverWith(`{mode: Enforce, rules: {${CODE}: Warn}}`, { mode: "Audit" });
    const r = await validate(s, podClaiming("team-beta"));
    expect(r.allowed).toBe(true);
    expect(r.warnings?.[0]).toContain(`[${CODE}]`);
  });

  it("the global per-rule mode beats the global mode, and a Tenant's mode beats both", async () => {
    const globalRule = { mode: "Enforce", rules: { [CODE]: "Warn" } };
    let s = await serverWith(undefined, globalRule);
    expect((await validate(s, podClaiming("team-beta"))).warnings?.[0]).toContain(`[${CODE}]`);
    await s.close();
    s = await serverWith("{mode: Audit}", globalRule);
    const r = await validate(s, podClaiming("team-omega"));
    expect(r.warnings).toBeUndefined();
    expect(r.auditAnnotations?.["tg-tenant-label"]).toMatch(/^Audit: /);
  });

  it("a rule forced to Enforce by config cannot be downgraded by a Tenant", async () => {
    const s = await serverWith(`{mode: Audit, rules: {${CODE}: Audit}}`, { mode: "Audit", forced: [CODE] });
    const r = await validate(s, podClaiming("team-beta"));
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    expect(reviewLines(s).at(-1)).toMatchObject({ decision: "denied", rules: [`${CODE}:Enforce`] });
  });
});

describe("the victim's mode", () => {
  it("team-alpha in Audit cannot weaken team-beta's Enforce: a claim of team-beta's label is denied", async () => {
    const s = await serverWith("{mode: Audit}", { mode: "Enforce" });
    const r = await validate(s, podClaiming("team-beta"));
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain(`[${CODE}]`);
    expect(reviewLines(s).at(-1)?.findings).toMatchObject([
      { code: CODE, mode: "Enforce", modeSource: "victim" },
    ]);
  });

  it("the victim's own downgrade does not weaken the namespace tenant's Enforce either", async () => {
    // Global Audit, team-alpha (the namespace's tenant) Enforce: the stricter one still wins.
    const s = await serverWith("{mode: Enforce}", { mode: "Audit" });
    const r = await validate(s, podClaiming("team-beta"));
    expect(r.allowed).toBe(false);
    expect(reviewLines(s).at(-1)?.findings).toMatchObject([
      { code: CODE, mode: "Enforce", modeSource: "tenant" },
    ]);
  });

  it("both tenants in Audit: allowed and recorded", async () => {
    const s = await serverWith("{mode: Audit}", { mode: "Audit" });
    const r = await validate(s, podClaiming("team-beta"));
    expect(r.allowed).toBe(true);
    expect(r.auditAnnotations?.["tg-tenant-label"]).toMatch(/^Audit: /);
  });
});
