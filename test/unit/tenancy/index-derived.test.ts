// TenantIndex keeps counts and its Tenant-derived lookups current without recomputing them per event
// (per-event recomputation made loading 10,000 Tenants quadratic): the answers must still follow
// every upsert and delete.
import { describe, expect, it } from "vitest";
import { TenantIndex } from "../../../src/tenancy/tenant-index.ts";

const LABEL = "tenant-guard.dev/tenant";
const meta = { labels: {}, annotations: {} };

describe("TenantIndex derived data", () => {
  it("counts objects per kind across upserts, replacements and deletes", () => {
    const ix = new TenantIndex(LABEL);
    ix.upsertNamespace("a", { [LABEL]: "team-a" });
    ix.upsertObject("Secret", "a", "s1", meta);
    ix.upsertObject("Secret", "a", "s1", meta); // an update, not a new object
    ix.upsertObject("Secret", "a", "s2", meta);
    ix.upsertObject("Secret", "b", "s1", meta);
    ix.upsertObject("ServiceAccount", "a", "default", meta);
    expect(ix.counts()).toEqual({ Namespace: 1, Tenant: 0, Secret: 3, ServiceAccount: 1 });
    ix.deleteObject("Secret", "a", "s2");
    ix.deleteObject("Secret", "a", "missing");
    expect(ix.counts()).toMatchObject({ Secret: 2, ServiceAccount: 1 });
    ix.deleteNamespace("a");
    expect(ix.counts()).toEqual({ Namespace: 0, Tenant: 0, Secret: 1, ServiceAccount: 0 });
  });

  it("answers owner, group and pool lookups from the Tenants as they are now", () => {
    const ix = new TenantIndex(LABEL);
    ix.upsertTenant("team-a", {
      owners: [
        { kind: "User", name: "alice" },
        { kind: "Group", name: "a-devs" },
      ],
      nodePool: { nodeSelector: { pool: "a-gpu" } },
    });
    expect([...ix.tenantsOfUser("alice")]).toEqual(["team-a"]);
    expect([...ix.tenantsOfGroup("a-devs")]).toEqual(["team-a"]);
    expect(ix.poolOwner("pool", "a-gpu")).toBe("team-a");
    ix.upsertTenant("team-b", { owners: [{ kind: "User", name: "alice" }] });
    expect([...ix.tenantsOfUser("alice")].sort()).toEqual(["team-a", "team-b"]);
    ix.upsertTenant("team-a", { owners: [{ kind: "User", name: "bob" }] });
    expect([...ix.tenantsOfUser("alice")]).toEqual(["team-b"]);
    expect(ix.tenantsOfGroup("a-devs").size).toBe(0);
    expect(ix.poolOwner("pool", "a-gpu")).toBeUndefined();
    ix.deleteTenant("team-b");
    expect(ix.tenantsOfUser("alice").size).toBe(0);
    expect([...ix.tenantsOfUser("bob")]).toEqual(["team-a"]);
  });
});
