// One HTTP request to the API server, authenticated by client-node's KubeConfig (client certs,
// bearer tokens, exec plugins, CA): the transport under the audit's lists and report publishing.
import http from "node:http";
import https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";

export interface KubeResponse {
  readonly status: number;
  readonly body: string;
}

export async function kubeRequest(
  kc: KubeConfig,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body?: string,
): Promise<KubeResponse> {
  const opts: https.RequestOptions = { method, headers: { ...headers } };
  await kc.applyToHTTPSOptions(opts);
  const plain = url.protocol === "http:";
  if (plain) delete opts.agent; // an https.Agent cannot carry a plain-HTTP request
  return new Promise((resolve, reject) => {
    const req = (plain ? http : https).request(url, opts, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${url.pathname}: timed out`)));
    req.on("error", reject);
    req.end(body);
  });
}
