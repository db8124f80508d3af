// Pure parts of the cluster backend: restart backoff, kubeconfig checks, and what the informer
// caches keep of an object (identity, labels, the annotations rules use; never data).
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_BACKOFF } from "../../../src/tenancy/cluster/backoff.ts";
import { loadKubeConfig } from "../../../src/tenancy/cluster/kubeconfig.ts";
import {
  CompactValues,
  Interner,
  slimMetadataObject,
  slimNamespace,
  slimTenant,
} from "../../../src/tenancy/cluster/slim.ts";
import { kubeconfigYaml } from "../../support/fake-apiserver/kubeconfig.ts";

describe("restart backoff", () => {
  it("doubles from 250 ms to a 30 s cap", () => {
    const noJitter = { ...DEFAULT_BACKOFF, jitter: 0 };
    expect([0, 1, 2, 3, 7, 8, 20, 1000].map((a) => backoffDelay(a, noJitter))).toEqual([
      250, 500, 1000, 2000, 30_000, 30_000, 30_000, 30_000,
    ]);
  });

  it("spreads each delay over [d * (1 - jitter), d] so replicas do not retry in lockstep", () => {
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0)).toBe(1000);
    expect(backoffDelay(2, DEFAULT_BACKOFF, () => 0.999999)).toBe(500);
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(3, DEFAULT_BACKOFF)));
    expect(seen.size).toBeGreaterThan(10);
    for (const d of seen) {
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });
});

describe("kubeconfig", () => {
  async function file(text: string): Promise<string> {
    const path = join(await mkdtemp(join(tmpdir(), "tg-kc-")), "config");
    await writeFile(path, text);
    return path;
  }

  it("loads a kubeconfig for a plain-http test server that skips TLS verification", async () => {
    const kc = loadKubeConfig(await file(kubeconfigYaml("http://127.0.0.1:1234")), false);
    expect(kc.getCurrentCluster()?.server).toBe("http://127.0.0.1:1234");
  });

  it("refuses plain http without insecure-skip-tls-verify up front, naming the file", async () => {
    const path = await file(
      kubeconfigYaml("http://127.0.0.1:1234").replace(", insecure-skip-tls-verify: true", ""),
    );
    expect(() => loadKubeConfig(path, false)).toThrow(
      `kubeconfig ${path}: server http://127.0.0.1:1234 is plain http`,
    );
  });

  it("names a missing or empty kubeconfig", async () => {
    expect(() => loadKubeConfig("/nonexistent/kubeconfig", false)).toThrow(
      /kubeconfig \/nonexistent\/kubeconfig: .*ENOENT/,
    );
    const empty = await file("apiVersion: v1\nkind: Config\n");
    expect(() => loadKubeConfig(empty, false)).toThrow(
      `kubeconfig ${empty}: no current context with a cluster`,
    );
  });
});

describe("slimmed objects", () => {
  const secret = {
    apiVersion: "v1",
    kind: "Secret",
    type: "kubernetes.io/service-account-token",
    data: { token: "c2VjcmV0" },
    metadata: {
      name: "builder-token",
      namespace: "team-a",
      resourceVersion: "42",
      uid: "u-1",
      labels: { "tenant-guard.dev/tenant": "team-a", constructor: "x" },
      annotations: {
        "kubernetes.io/service-account.name": "builder",
        "kubectl.kubernetes.io/last-applied-configuration": '{"data":{"token":"c2VjcmV0"}}',
        "meta.helm.sh/release-name": "builder",
        "tenant-guard.dev/note": "kept",
      },
      managedFields: [{ manager: "kubectl" }],
    },
  };

  it("keeps identity, the tenant label and the annotations rules use, and nothing else", () => {
    const slim = slimMetadataObject(new Interner(), "tenant-guard.dev/tenant")(secret);
    expect(slim.metadata).toEqual({ name: "builder-token", namespace: "team-a", resourceVersion: "42" });
    expect({ ...slim.labels }).toEqual({ "tenant-guard.dev/tenant": "team-a" });
    expect({ ...slim.annotations }).toEqual({
      "tenant-guard.dev/note": "kept",
    });
    expect(JSON.stringify(slim)).not.toContain("c2VjcmV0");
    expect(Object.isFrozen(slim.labels)).toBe(true);
  });

  it("label maps inherit nothing: prototype names are not labels", () => {
    const slim = slimMetadataObject(
      new Interner(),
      "tenant-guard.dev/tenant",
    )({
      metadata: { name: "a", namespace: "n", labels: { "tenant-guard.dev/tenant": "t", x: "1" } },
    });
    const labels = slim.labels as Record<string, unknown>;
    expect(labels.toString).toBeUndefined();
    expect(labels.constructor).toBeUndefined();
    expect(labels.hasOwnProperty).toBeUndefined();
    expect(slimNamespace({ metadata: { name: "n" } }).labels?.constructor).toBeUndefined();
  });

  it("caches objects with the same labels and kept annotations as one shared value", () => {
    const slim = slimMetadataObject(new Interner(), "tenant-guard.dev/tenant");
    const values = new CompactValues();
    const plainA = values.compact(slim({ metadata: { name: "a", namespace: "n", labels: { app: "x" } } }));
    const plainB = values.compact(
      slim({ metadata: { name: "b", namespace: "m", annotations: { "meta.helm.sh/release-name": "r" } } }),
    );
    expect(plainA).toBe(plainB);
    expect({ ...plainA.labels }).toEqual({});
    const labelled = (name: string, tenant: string) =>
      values.compact(
        slim({
          metadata: {
            name,
            namespace: "n",
            resourceVersion: name,
            labels: { "tenant-guard.dev/tenant": tenant },
          },
        }),
      );
    const c = labelled("c", "t");
    expect(labelled("d", "t")).toBe(c);
    expect(labelled("e", "u")).not.toBe(c);
    expect({ ...c.labels }).toEqual({ "tenant-guard.dev/tenant": "t" });
    expect(c.metadata).toEqual({ name: "", namespace: "" }); // the cache's key holds the name
    expect(Object.isFrozen(c)).toBe(true);
    const annotated = values.compact(
      slim({ metadata: { name: "f", namespace: "n", annotations: { "tenant-guard.dev/x": "y" } } }),
    );
    expect({ ...annotated.annotations }).toEqual({ "tenant-guard.dev/x": "y" });
    expect(values.size).toBe(4);
  });

  it("stops sharing past a bound, so churned label values cannot grow memory without limit", () => {
    const slim = slimMetadataObject(new Interner(), "tenant-guard.dev/tenant");
    const values = new CompactValues();
    const obj = (i: number) =>
      slim({ metadata: { name: `o${i}`, namespace: "n", labels: { "tenant-guard.dev/tenant": `t${i}` } } });
    for (let i = 0; i < 5000; i++) values.compact(obj(i));
    expect(values.size).toBe(4096);
    const late = values.compact(obj(4999));
    expect({ ...late.labels }).toEqual({ "tenant-guard.dev/tenant": "t4999" });
    expect(values.compact(obj(4999))).not.toBe(late);
  });

  it("shares one namespace string across objects", () => {
    const interner = new Interner();
    const slim = slimMetadataObject(interner, "tenant-guard.dev/tenant");
    const a = slim(JSON.parse('{"metadata":{"name":"a","namespace":"team-alpha-production"}}'));
    const b = slim(JSON.parse('{"metadata":{"name":"b","namespace":"team-alpha-production"}}'));
    expect(a.metadata.namespace).toBe(b.metadata.namespace);
    expect(interner.intern("team-alpha-production")).toBe(a.metadata.namespace);
  });

  it("keeps of a Tenant what its schema checks, not status or managedFields", () => {
    const t = slimTenant({
      apiVersion: "tenant-guard.dev/v1alpha1",
      kind: "Tenant",
      metadata: { name: "team-a", resourceVersion: "7", managedFields: [{}] },
      spec: { owners: [] },
      status: { namespaces: ["a"] },
    });
    expect(t.tenant).toEqual({
      apiVersion: "tenant-guard.dev/v1alpha1",
      kind: "Tenant",
      metadata: { name: "team-a" },
      spec: { owners: [] },
    });
    expect(t.metadata.resourceVersion).toBe("7");
  });
});
