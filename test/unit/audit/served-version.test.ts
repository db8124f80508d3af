// The audit's version fallback (served-version.ts) and its drift check of live namespaces
// (namespace-drift.ts), without a server: a fake list function answers by path.
import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../src/k8s/access.ts";
import type { ListResult } from "../../../src/audit/kube-list.ts";
import { SOURCES, type Source } from "../../../src/audit/cluster-scan.ts";
import { namespaceLabelDrift } from "../../../src/audit/namespace-drift.ts";
import {
  apiVersionOf,
  listServed,
  pathAtVersion,
  servedVersions,
} from "../../../src/audit/served-version.ts";
import { MemoryDirectory } from "../../../src/tenancy/memory.ts";
import { TENANT_LABEL, tenantObject } from "../../support/objects.ts";

const claims = SOURCES.find((s) => s.kind === "ResourceClaim") as Source;
const pods = SOURCES.find((s) => s.kind === "Pod") as Source;

describe("served versions", () => {
  it("DRA claims: v1, then v1beta2, then v1beta1; core kinds: one version", () => {
    expect(servedVersions(claims)).toEqual([
      "resource.k8s.io/v1",
      "resource.k8s.io/v1beta2",
      "resource.k8s.io/v1beta1",
    ]);
    expect(servedVersions(claims).map((v) => pathAtVersion(claims, v))).toEqual([
      "/apis/resource.k8s.io/v1/resourceclaims",
      "/apis/resource.k8s.io/v1beta2/resourceclaims",
      "/apis/resource.k8s.io/v1beta1/resourceclaims",
    ]);
    expect(servedVersions(pods)).toEqual(["v1"]);
    expect(pathAtVersion(pods, "v1")).toBe("/api/v1/pods");
    expect(apiVersionOf(claims, "/apis/resource.k8s.io/v1beta2/resourceclaims")).toBe(
      "resource.k8s.io/v1beta2",
    );
    expect(apiVersionOf(pods, "/api/v1/pods")).toBe("v1");
  });

  const answering =
    (ok: string, asked: string[]) =>
    async (path: string): Promise<ListResult> => {
      asked.push(path);
      if (path.includes(`/${ok}/`)) return { ok: true, items: [{ metadata: { name: "c" } }] };
      return { ok: false, status: 404, reason: "the server could not find the requested resource" };
    };

  it("stops at the first version served and says which", async () => {
    const asked: string[] = [];
    const r = await listServed(answering("v1beta2", asked), claims, {});
    expect(r.apiVersion).toBe("resource.k8s.io/v1beta2");
    expect(r.res.ok).toBe(true);
    expect(asked).toEqual([
      "/apis/resource.k8s.io/v1/resourceclaims",
      "/apis/resource.k8s.io/v1beta2/resourceclaims",
    ]);
  });

  it("none served: the last 404; another failure is not a reason to try older versions", async () => {
    const asked: string[] = [];
    const none = await listServed(answering("v9", asked), claims, {});
    expect(none.res).toMatchObject({ ok: false, status: 404 });
    expect(asked).toHaveLength(3);
    const forbidden = await listServed(
      async () => ({ ok: false, status: 403, reason: "forbidden" }),
      claims,
      {},
    );
    expect(forbidden).toEqual({
      res: { ok: false, status: 403, reason: "forbidden" },
      apiVersion: "resource.k8s.io/v1",
    });
  });
});

describe("namespaceLabelDrift", () => {
  const PSA = "pod-security.kubernetes.io/enforce";
  const view = new MemoryDirectory(
    [
      tenantObject("alpha", {
        namespaces: { labels: { [PSA]: "restricted", [TENANT_LABEL]: "beta", team: "a" } },
      }),
      tenantObject("beta", {}),
    ],
    TENANT_LABEL,
  ).view();
  const ns = (labels: Record<string, string>): JsonRecord => ({
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "alpha-x", labels },
  });

  it("a missing and a changed pinned label are each a finding; the tenant label is never pinned", () => {
    const f = namespaceLabelDrift(ns({ [TENANT_LABEL]: "alpha", [PSA]: "privileged" }), view, TENANT_LABEL);
    expect(f.map((x) => [x.code, x.path, x.tenant])).toEqual([
      ["TG-NS-LABELS", `metadata.labels["${PSA}"]`, "alpha"],
      ["TG-NS-LABELS", 'metadata.labels["team"]', "alpha"],
    ]);
    expect(f[0]?.message).toBe(
      `namespace "alpha-x" of tenant "alpha" has label "${PSA}": "privileged", but the tenant pins "${PSA}": ` +
        `"restricted" (spec.namespaces.labels); set it back: kubectl label namespace alpha-x ${PSA}=restricted --overwrite`,
    );
    expect(f[1]?.message).toContain('lacks label "team"');
  });

  it("nothing for a namespace that carries them, one of a tenant without pins, or of no tenant", () => {
    expect(
      namespaceLabelDrift(
        ns({ [TENANT_LABEL]: "alpha", [PSA]: "restricted", team: "a" }),
        view,
        TENANT_LABEL,
      ),
    ).toEqual([]);
    expect(namespaceLabelDrift(ns({ [TENANT_LABEL]: "beta" }), view, TENANT_LABEL)).toEqual([]);
    expect(namespaceLabelDrift(ns({ [PSA]: "privileged" }), view, TENANT_LABEL)).toEqual([]);
    expect(namespaceLabelDrift({ kind: "Namespace" }, view, TENANT_LABEL)).toEqual([]);
  });
});
