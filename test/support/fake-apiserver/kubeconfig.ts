// A kubeconfig file for the fake API server. Over https it names the CA that signed the server's
// certificate, as a real kubeconfig does; client-node 2.x refuses plain http:// unless the cluster
// entry sets insecure-skip-tls-verify, so over http it does.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const FAKE_TOKEN = "fake-apiserver-token";

export function kubeconfigYaml(server: string, caPem?: string): string {
  const tls =
    caPem === undefined
      ? "insecure-skip-tls-verify: true"
      : `certificate-authority-data: ${Buffer.from(caPem).toString("base64")}`;
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "  - name: fake",
    `    cluster: { server: "${server}", ${tls} }`,
    "users:",
    `  - name: tenant-guard`,
    `    user: { token: ${FAKE_TOKEN} }`,
    "contexts:",
    "  - name: fake",
    "    context: { cluster: fake, user: tenant-guard }",
    "current-context: fake",
    "",
  ].join("\n");
}

/** Writes the kubeconfig into a fresh temp directory and returns its path. */
export async function writeKubeconfig(server: string, caPem?: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tg-kubeconfig-"));
  const path = join(dir, "kubeconfig.yaml");
  await writeFile(path, kubeconfigYaml(server, caPem), { mode: 0o600 });
  return path;
}
