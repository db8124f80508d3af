// tenant_guard_tenant_denials_total, through the real server: a denial counts once under the tenant
// that owns the request's namespace, its allowed twin and an Audit-mode finding count nothing, and
// a cluster-scoped denial counts under "". The per-tenant deny-spike alert is built on this series.
import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";
import { loadReview } from "../support/fixtures.ts";
import { metric, podClaiming, worldWith, type ReviewOut } from "../unit/audit/support/world.ts";

const NAME = "tenant_guard_tenant_denials_total";
let srv: TestServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});

async function allowed(s: TestServer, body: unknown): Promise<boolean> {
  const res = await s.review("/validate", body);
  expect(res.status).toBe(200);
  return res.json<ReviewOut>().response.allowed;
}

const scrape = async (s: TestServer): Promise<string> => (await s.request("/metrics")).text;

describe("denials per tenant", () => {
  it("counts a denied pod under the namespace's tenant, and not its allowed twin", async () => {
    srv = await startTestServer({ enforcement: { mode: "Enforce" } });
    expect(await allowed(srv, podClaiming("team-beta"))).toBe(false);
    expect(await allowed(srv, podClaiming(undefined))).toBe(true);
    expect(await allowed(srv, podClaiming("team-beta", { dryRun: true }))).toBe(false);
    const text = await scrape(srv);
    const alpha = { route: "/validate", tenant: "team-alpha" };
    expect(metric(text, NAME, { ...alpha, dry_run: "false" })).toBe(1);
    expect(metric(text, NAME, { ...alpha, dry_run: "true" })).toBe(1);
    expect(metric(text, NAME, { tenant: "team-beta" })).toBe(0);
  });

  it("counts nothing when the finding is only audited", async () => {
    // team-alpha's own enforcement block removed, so the global Audit applies.
    srv = await startTestServer({
      directory: { source: await worldWith(undefined) },
      enforcement: { mode: "Audit" },
    });
    expect(await allowed(srv, podClaiming("team-beta"))).toBe(true);
    expect(await scrape(srv)).not.toMatch(new RegExp(`^${NAME}\\{`, "m"));
  });

  it('counts a cluster-scoped denial under ""', async () => {
    srv = await startTestServer({ enforcement: { mode: "Enforce" } });
    expect(await allowed(srv, loadReview("isolation/clusterrolebinding-tenant-subject"))).toBe(false);
    expect(metric(await scrape(srv), NAME, { route: "/validate", tenant: "", dry_run: "false" })).toBe(1);
  });
});
