// Writes each Tenant's `status.namespaces` and `status.namespaceCount` (the CRD's printer columns)
// from the directory: the namespaces labelled for it. Every few seconds, once the directory is
// ready, each Tenant whose observed status (from the Tenant informer) differs from what the index
// says gets one merge PATCH of its status subresource. Replicas converge on the same content, so a
// second replica finds nothing to write. Failures (e.g. RBAC without tenants/status) are logged
// once per distinct error and retried on the next round; they never affect admission.
import type { KubeConfig } from "@kubernetes/client-node";
import type { Logger } from "pino";
import { KubeHttpError, apiUrl, kubeRequest } from "../../k8s/kube-request.ts";
import type { TenantIndex } from "../tenant-index.ts";

export interface TenantStatusOptions {
  readonly kubeconfig: KubeConfig;
  readonly index: TenantIndex;
  /** The status.namespaces the cluster has now for a Tenant, from the informer's cache. */
  readonly observed: (tenant: string) => readonly string[] | undefined;
  readonly ready: () => boolean;
  readonly log: Logger;
  readonly basePath: string;
  readonly intervalMs?: number;
  /** Called after a round that wrote at least one status, with how many it wrote. */
  readonly onWritten?: (count: number) => void;
}

function same(a: readonly string[] | undefined, b: readonly string[]): boolean {
  return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

export class TenantStatusWriter {
  private readonly opts: TenantStatusOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastError = "";
  /** What this replica last wrote per Tenant and when: while the informer has not yet delivered
   * it, no second PATCH; if the cluster still shows something else a while later (someone edited
   * the status), it is written again. */
  private readonly sent = new Map<string, { readonly key: string; readonly at: number }>();
  written = 0;
  /** Six rounds (30 s by default): ample for our own write to come back through the watch. */
  private readonly resendAfterMs: number;

  constructor(opts: TenantStatusOptions) {
    this.opts = opts;
    this.resendAfterMs = 6 * (opts.intervalMs ?? 5000);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.round(), this.opts.intervalMs ?? 5000);
    this.timer.unref();
  }

  /** One pass over every Tenant (also what the timer runs). */
  round(): Promise<void> {
    this.running ??= this.writeAll().finally(() => (this.running = undefined));
    return this.running;
  }

  private async writeAll(): Promise<void> {
    if (!this.opts.ready()) return;
    const before = this.written;
    try {
      await this.writeEach();
    } finally {
      if (this.written > before) this.opts.onWritten?.(this.written - before);
    }
  }

  private async writeEach(): Promise<void> {
    const { index, observed } = this.opts;
    for (const name of [...index.tenantNames()]) {
      if (index.tenant(name)?.defined !== true) continue;
      const want = [...index.namespacesOf(name)].sort();
      const key = want.join(",");
      if (same(observed(name), want)) continue;
      const last = this.sent.get(name);
      if (last?.key === key && Date.now() - last.at < this.resendAfterMs) continue;
      try {
        await this.patch(name, want);
        this.sent.set(name, { key, at: Date.now() });
        this.written++;
      } catch (e) {
        const message = (e as Error).message;
        if (message !== this.lastError) {
          const rbac = e instanceof KubeHttpError && e.statusCode === 403;
          this.opts.log.warn(
            { tenant: name, error: message },
            rbac
              ? "cannot write Tenant status (RBAC needs patch on tenants/status); retrying"
              : "writing Tenant status failed; retrying",
          );
          this.lastError = message;
        }
        return; // the next round tries again
      }
    }
  }

  private async patch(name: string, namespaces: readonly string[]): Promise<void> {
    const { kubeconfig: kc, basePath } = this.opts;
    const url = apiUrl(kc, `${basePath}/${encodeURIComponent(name)}/status`);
    const body = JSON.stringify({ status: { namespaces, namespaceCount: namespaces.length } });
    const res = await kubeRequest(
      kc,
      "PATCH",
      url,
      { "Content-Type": "application/merge-patch+json", Accept: "application/json" },
      body,
      {
        signal: AbortSignal.timeout(10_000),
      },
    );
    if (res.status !== 200)
      throw new KubeHttpError(
        res.status,
        `PATCH ${url.pathname}: HTTP ${res.status}: ${res.body.slice(0, 200)}`,
      );
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
