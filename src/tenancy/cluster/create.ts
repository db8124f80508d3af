// `--directory cluster`: informers against the cluster named by --kubeconfig, the in-cluster
// service account, or the default kubeconfig.
import type { Logger } from "pino";
import type { Config } from "../../config/schema.ts";
import type { Directory } from "../directory.ts";
import { ClusterDirectory } from "./cluster-directory.ts";
import { loadKubeConfig } from "./kubeconfig.ts";

export async function createClusterDirectory(cfg: Config, log: Logger): Promise<Directory> {
  const kubeconfig = loadKubeConfig(cfg.directory.kubeconfig);
  const cluster = kubeconfig.getCurrentCluster();
  log.info(
    { server: cluster?.server, kubeconfig: cfg.directory.kubeconfig },
    "cluster directory: using API server",
  );
  return new ClusterDirectory({
    kubeconfig,
    tenantLabel: cfg.tenancy.tenantLabel,
    log,
    writeTenantStatus: cfg.directory.writeTenantStatus,
    ...(cfg.kueue.watchClusterQueues ? { clusterQueues: { version: cfg.kueue.clusterQueueVersion } } : {}),
    gatewayAPI: cfg.directory.gatewayAPI,
  });
}
