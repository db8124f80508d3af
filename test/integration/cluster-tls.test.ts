// The cluster backend over HTTPS, as a real API server serves it: the kubeconfig's
// certificate-authority-data is what the informers and list pages verify the server against; a
// server whose certificate another CA signed is never trusted, and the directory stays unready.
import { afterEach, describe, expect, it } from "vitest";
import type { ClusterDirectory } from "../../src/tenancy/cluster/cluster-directory.ts";
import { writeKubeconfig } from "../support/fake-apiserver/kubeconfig.ts";
import {
  clusterDirectory,
  startFakeCluster,
  waitFor,
  type FakeCluster,
} from "../support/fake-apiserver/harness.ts";
import { makeCa } from "../support/pki.ts";

let world: FakeCluster | undefined;
let dir: ClusterDirectory | undefined;

afterEach(async () => {
  await dir?.close();
  dir = undefined;
  await world?.close();
  world = undefined;
});

describe("cluster directory over HTTPS", () => {
  it("syncs against the CA the kubeconfig names, and follows live changes over the TLS watches", async () => {
    world = await startFakeCluster({ tls: true });
    expect(world.fake.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    dir = clusterDirectory(world.kubeconfig);
    await dir.start();
    await waitFor("directory ready", () => dir?.status().ready);
    expect(dir.view().namespace("team-alpha")?.tenant).toBe("team-alpha");
    world.fake.store.apply({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "alpha-tls", labels: { "tenant-guard.dev/tenant": "team-alpha" } },
    });
    await waitFor("namespace seen over the watch", () => dir?.view().namespace("alpha-tls"));
    expect(dir.view().namespace("alpha-tls")?.tenant).toBe("team-alpha");
    expect(world.fake.connections).toBeGreaterThan(0);
  });

  it("never trusts a server whose certificate another CA signed, and says why it is unready", async () => {
    world = await startFakeCluster({ tls: true });
    const stranger = await makeCa("someone-else");
    dir = clusterDirectory(await writeKubeconfig(world.fake.url, stranger.cert));
    await dir.start();
    await waitFor("an informer reports the failed handshake", () =>
      /certificate|self.signed|verify/i.test(dir?.status().reason ?? ""),
    );
    expect(dir.status().ready).toBe(false);
    expect(world.fake.requests).toHaveLength(0);
  });
});
