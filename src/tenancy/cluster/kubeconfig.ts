// Which cluster to talk to: --kubeconfig PATH, else the pod's service account when running in a
// cluster, else the usual default (KUBECONFIG, ~/.kube/config). Problems surface at start with
// the file named, not later as an informer that never syncs.
import { existsSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import { TenantGuardError } from "../../errors.ts";

const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export function loadKubeConfig(
  path: string | undefined,
  inCluster = existsSync(SERVICE_ACCOUNT_TOKEN),
): KubeConfig {
  const kc = new KubeConfig();
  const source = path ?? (inCluster ? "in-cluster service account" : "default kubeconfig");
  try {
    if (path !== undefined) kc.loadFromFile(path);
    else if (inCluster) kc.loadFromCluster();
    else kc.loadFromDefault();
  } catch (e) {
    throw new TenantGuardError("TG_CONFIG_INVALID", `kubeconfig ${source}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const cluster = kc.getCurrentCluster();
  if (cluster === null) {
    throw new TenantGuardError(
      "TG_CONFIG_INVALID",
      `kubeconfig ${source}: no current context with a cluster`,
    );
  }
  let url: URL;
  try {
    url = new URL(cluster.server);
  } catch {
    throw new TenantGuardError(
      "TG_CONFIG_INVALID",
      `kubeconfig ${source}: cluster server ${JSON.stringify(cluster.server)} is not a URL`,
    );
  }
  if (url.protocol === "http:" && !cluster.skipTLSVerify) {
    // client-node 2.x refuses plain HTTP unless TLS verification is explicitly off; say so now.
    throw new TenantGuardError(
      "TG_CONFIG_INVALID",
      `kubeconfig ${source}: server ${cluster.server} is plain http; client-node only allows that with insecure-skip-tls-verify: true`,
    );
  }
  return kc;
}
