// `tenant-guard audit --cluster --publish`: PolicyReports server-side applied by stable names,
// replaced on every run, capped in size; failures exit 2.
import { afterEach, describe, expect, it } from "vitest";
import { audit } from "../unit/audit/support/run-audit.ts";
import { startListServer, type ListServer } from "../support/audit-list-server.ts";
import { world } from "../unit/audit/support/cluster-world.ts";
import { MANIFESTS } from "../unit/audit/support/world.ts";

let server: ListServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("audit --cluster --publish", () => {
  it("server-side applies one report per namespace and a cluster report, replacing them on the next run", async () => {
    server = await startListServer(await world());
    const args = ["--cluster", "--publish", "--kubeconfig", server.kubeconfig, "-o", "json"];
    const first = await audit(args);
    expect(first.code).toBe(1);
    expect(first.err).toMatch(/published (\d+) of \1 report\(s\)/);
    const paths = [...server.applied.keys()];
    expect(paths).toContain("/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/tenant-guard-cluster");
    expect(paths).toContain(
      "/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-alpha/policyreports/tenant-guard-team-alpha",
    );
    const alpha = server.applied.get(
      "/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-alpha/policyreports/tenant-guard-team-alpha",
    )!;
    expect(alpha.object).toMatchObject({ apiVersion: "wgpolicyk8s.io/v1alpha2", kind: "PolicyReport" });
    // 1200 config maps in team-beta: every one counted, pass results capped to keep the object small.
    const beta = server.applied.get(
      "/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-beta/policyreports/tenant-guard-team-beta",
    )!;
    const betaReport = beta.object as { summary: { pass: number }; results: unknown[] };
    expect(betaReport.summary.pass).toBeGreaterThan(1200);
    expect(betaReport.results.length).toBeLessThanOrEqual(1000);
    await audit(args);
    expect([...server.applied.keys()]).toEqual(paths); // same names: updated, not piled up
    expect([...server.applied.values()].every((a) => a.applies === 2)).toBe(true);
  });

  it("a report it may not write fails the run with exit 2 and says which", async () => {
    server = await startListServer(await world());
    server.forbidden.add("/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/tenant-guard-cluster");
    const r = await audit(["--cluster", "--publish", "--kubeconfig", server.kubeconfig]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/cannot publish ClusterPolicyReport tenant-guard-cluster: 403 /);
    expect(server.applied.size).toBeGreaterThan(0); // the namespaced reports still went out
  });

  it("--publish without --cluster is a usage error", async () => {
    const r = await audit(["--publish", MANIFESTS]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--publish needs --cluster");
  });
});
