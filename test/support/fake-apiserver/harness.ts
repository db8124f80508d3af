// Test harness: a fake API server loaded with a world, a kubeconfig for it, and (optionally) a real
// ClusterDirectory on it with fast backoff so fault tests finish in well under a second.
import { join } from "node:path";
import { createLogger, type Logger } from "../../../src/log.ts";
import { ClusterDirectory } from "../../../src/tenancy/cluster/cluster-directory.ts";
import { loadKubeConfig } from "../../../src/tenancy/cluster/kubeconfig.ts";
import { makeServerPki, type Pem } from "../pki.ts";
import { writeKubeconfig } from "./kubeconfig.ts";
import { loadYamlFile } from "./load.ts";
import { FakeApiServer } from "./server.ts";

export { waitFor } from "../wait.ts";

export const EXAMPLES = join(import.meta.dirname, "..", "..", "..", "examples", "cluster.yaml");
export const FAST_BACKOFF = { initialMs: 20, maxMs: 200, jitter: 0.5 };

export interface FakeCluster {
  readonly fake: FakeApiServer;
  readonly kubeconfig: string;
  /** The CA of the server's certificate when it serves HTTPS. */
  readonly ca?: Pem;
  close(): Promise<void>;
}

/** `tls`: serve HTTPS, and the kubeconfig names the CA, as a real cluster's does. `unserved`:
 * plurals the cluster does not serve (CRDs not installed), e.g. ["tlsroutes", "listenersets"]. */
export async function startFakeCluster(
  opts: { examples?: boolean; tls?: boolean; unserved?: readonly string[] } = {},
): Promise<FakeCluster> {
  const pki = opts.tls === true ? await makeServerPki("kube-apiserver") : undefined;
  const fake = await new FakeApiServer().start({ tls: pki?.serving });
  for (const plural of opts.unserved ?? []) fake.unserved.add(plural);
  fake.faults.bookmarkIntervalMs = 200;
  if (opts.examples ?? true) await loadYamlFile(fake.store, EXAMPLES);
  const kubeconfig = await writeKubeconfig(fake.url, pki?.ca.cert);
  return { fake, kubeconfig, ...(pki === undefined ? {} : { ca: pki.ca }), close: () => fake.close() };
}

export function clusterDirectory(
  kubeconfig: string,
  opts: {
    log?: Logger;
    pageTimeoutMs?: number;
    writeTenantStatus?: boolean;
    statusIntervalMs?: number;
    clusterQueues?: { version: string };
    gatewayAPI?: boolean;
    discoveryRetryMs?: number;
  } = {},
): ClusterDirectory {
  return new ClusterDirectory({
    kubeconfig: loadKubeConfig(kubeconfig),
    tenantLabel: "tenant-guard.dev/tenant",
    log: opts.log ?? createLogger("silent"),
    backoff: FAST_BACKOFF,
    pageTimeoutMs: opts.pageTimeoutMs,
    writeTenantStatus: opts.writeTenantStatus,
    statusIntervalMs: opts.statusIntervalMs,
    clusterQueues: opts.clusterQueues,
    gatewayAPI: opts.gatewayAPI,
    discoveryRetryMs: opts.discoveryRetryMs,
  });
}
