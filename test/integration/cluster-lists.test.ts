// The informers' list half against the fake API server: paging with continue tokens, metadata-only
// negotiation (and a server that ignores it), one kept-alive connection for a whole sync, errors
// that carry their HTTP status, and a page that hangs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KubeHttpError } from "../../src/k8s/kube-request.ts";
import { loadKubeConfig } from "../../src/tenancy/cluster/kubeconfig.ts";
import {
  META_LIST_ACCEPT,
  PAGE_SIZE,
  listAll,
  pageFetcher,
  type ListOptions,
  type PageFetcher,
} from "../../src/tenancy/cluster/lists.ts";
import {
  Interner,
  slimMetadataObject,
  slimNamespace,
  type SlimObject,
} from "../../src/tenancy/cluster/slim.ts";
import { startFakeCluster, type FakeCluster } from "../support/fake-apiserver/harness.ts";

const LABEL = "tenant-guard.dev/tenant";
const SECRETS = PAGE_SIZE * 2 + 37;
let world: FakeCluster;

function secret(i: number): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: `s-${i}`,
      namespace: `ns-${i % 7}`,
      labels: { [LABEL]: `t-${i % 3}`, "app.kubernetes.io/name": "db" },
      annotations: {
        "kubectl.kubernetes.io/last-applied-configuration": '{"data":{"password":"aHVudGVyMg=="}}',
      },
    },
    type: "Opaque",
    data: { password: "aHVudGVyMg==" },
  };
}

beforeAll(async () => {
  world = await startFakeCluster({ examples: false });
  world.fake.store.bulkLoad(
    (function* () {
      for (let i = 0; i < SECRETS; i++) yield secret(i);
    })(),
  );
});
afterAll(() => world.close());
beforeEach(() => world.fake.faults.reset());

const fetcher = (path: string, metadataOnly: boolean, pageTimeoutMs = 5000) =>
  pageFetcher(loadKubeConfig(world.kubeconfig), path, { metadataOnly, pageTimeoutMs });
const slim = slimMetadataObject(new Interner(), LABEL);

/** listAll with the streamed pages gathered: the items, the page sizes, the resourceVersion. */
async function collect(
  fetchPage: PageFetcher,
  opts: ListOptions,
): Promise<{ items: SlimObject[]; pages: number[]; resourceVersion: string | undefined }> {
  const items: SlimObject[] = [];
  const pages: number[] = [];
  const listed = await listAll(fetchPage, opts, (page) => {
    pages.push(page.length);
    items.push(...page);
  });
  expect(listed.count).toBe(items.length);
  return { items, pages, resourceVersion: listed.resourceVersion };
}

describe("cluster directory lists", () => {
  it("pages a collection metadata-only over one kept-alive connection", async () => {
    const before = world.fake.requests.length;
    const connections = world.fake.connections;
    let firstKind: string | undefined;
    const list = await collect(fetcher("/api/v1/secrets", true), {
      slim,
      onFirstPage: (k) => (firstKind = k),
    });
    expect(list.items).toHaveLength(SECRETS);
    expect(firstKind).toBe("PartialObjectMetadataList");
    expect(list.resourceVersion).toMatch(/^\d+$/);
    expect(list.pages).toEqual([PAGE_SIZE, PAGE_SIZE, SECRETS - 2 * PAGE_SIZE]); // streamed per page
    const pages = world.fake.requests.slice(before);
    expect(pages).toHaveLength(3);
    expect(pages.map((r) => r.query.get("limit"))).toEqual([
      String(PAGE_SIZE),
      String(PAGE_SIZE),
      String(PAGE_SIZE),
    ]);
    expect(pages[0]!.query.get("continue")).toBeNull();
    expect(pages[1]!.query.get("continue")).toBeTruthy();
    for (const p of pages) expect(p.accept).toBe(META_LIST_ACCEPT);
    expect(world.fake.connections - connections).toBe(1);
    const s = list.items.find((o) => o.metadata.name === "s-10")!;
    expect(s.metadata.namespace).toBe("ns-3");
    expect(s.labels).toEqual({ [LABEL]: "t-1" });
    expect(s.annotations).toEqual({});
  });

  it("drops secret data itself when the server ignores the metadata-only Accept header", async () => {
    world.fake.faults.ignoreMetadataAccept = true;
    let firstKind: string | undefined;
    const list = await collect(fetcher("/api/v1/secrets", true), {
      slim,
      onFirstPage: (k) => (firstKind = k),
    });
    expect(firstKind).toBe("SecretList");
    expect(list.items).toHaveLength(SECRETS);
    const text = JSON.stringify(list.items);
    expect(text).not.toContain("aHVudGVyMg==");
    expect(text).not.toContain("last-applied");
  });

  it("lists cluster-scoped collections in full", async () => {
    world.fake.store.apply({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "ns-1", labels: { [LABEL]: "t-1" } },
    });
    const list = await collect(fetcher("/api/v1/namespaces", false), { slim: slimNamespace });
    expect(list.items.find((n) => n.metadata.name === "ns-1")?.labels).toMatchObject({ [LABEL]: "t-1" });
    expect(world.fake.requestsFor("namespaces").at(-1)?.accept).toBe("application/json");
  });

  it("fails with the HTTP status and the server's message", async () => {
    world.fake.faults.failNext(1, 500);
    const err = await collect(fetcher("/api/v1/secrets", true), { slim }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeHttpError);
    expect((err as KubeHttpError).statusCode).toBe(500);
    expect((err as Error).message).toBe("list /api/v1/secrets: HTTP 500: injected failure");
    const missing = await collect(fetcher("/api/v1/nothings", true), { slim }).catch((e: unknown) => e);
    expect((missing as KubeHttpError).statusCode).toBe(404);
  });

  it("aborts a page that hangs past its timeout", async () => {
    world.fake.faults.delayMs = 1000;
    const t0 = performance.now();
    const err = await collect(fetcher("/api/v1/secrets", true, 100), { slim }).catch((e: unknown) => e);
    expect((err as Error).message).toBe("list /api/v1/secrets timed out after 100 ms");
    expect(performance.now() - t0).toBeLessThan(900);
  });
});
