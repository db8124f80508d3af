// Certificate hot reload. cert-manager, the kubelet (secret volume `..data` swaps) or a script
// replace the serving pair and the client CA on disk; new connections get the new ones through
// server.setSecureContext() while open connections keep theirs, so nothing in flight is dropped.
// A new set that does not load (unparsable, key not matching the certificate) keeps the old one
// and is logged once per distinct content, not on every poll.
import { readFile } from "node:fs/promises";
import { createSecureContext, type SecureContextOptions } from "node:tls";
import type { Logger } from "pino";
import type { Metrics } from "./metrics.ts";
import {
  parseCertPair,
  parseClientCa,
  secureContextOptions,
  type ClientCa,
  type ServingCert,
} from "./tls.ts";
import { watchFiles, type FileWatch } from "../k8s/file-watch.ts";

export interface TlsState {
  readonly cert: ServingCert;
  readonly clientCa: ClientCa | undefined;
}

export interface TlsReloadOptions {
  readonly certPath?: string;
  readonly keyPath?: string;
  readonly clientCaPath?: string;
  readonly pollMs: number;
  readonly log: Logger;
  readonly metrics: Metrics;
  /** Installs the new context for connections accepted from now on. */
  apply(opts: SecureContextOptions): void;
}

export class TlsReloader {
  private state: TlsState;
  private readonly opts: TlsReloadOptions;
  private lastFailed = "";
  private watch: FileWatch | undefined;
  private running: Promise<boolean> | undefined;
  private again = false;

  constructor(initial: TlsState, opts: TlsReloadOptions) {
    this.state = initial;
    this.opts = opts;
    this.publish();
  }

  get current(): TlsState {
    return this.state;
  }

  /** Watches the files that came from disk (a self-signed certificate has none). */
  start(): void {
    const { certPath, keyPath, clientCaPath } = this.opts;
    const paths = [certPath, keyPath, clientCaPath].filter((p): p is string => p !== undefined);
    if (paths.length === 0) return;
    this.watch = watchFiles(paths, () => void this.reload(), {
      pollMs: this.opts.pollMs,
      onError: (e) => this.opts.log.error({ err: e.message }, "watching TLS files failed; polling only"),
    });
  }

  close(): void {
    this.watch?.close();
  }

  /** Reloads from disk; resolves true when a new context was installed. Calls never overlap. */
  reload(): Promise<boolean> {
    if (this.running !== undefined) {
      this.again = true;
      return this.running;
    }
    this.running = this.load().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        void this.reload();
      }
    });
    return this.running;
  }

  private async load(): Promise<boolean> {
    const { certPath, keyPath, clientCaPath, log, metrics } = this.opts;
    const read = (p: string | undefined): Promise<string | undefined> =>
      p === undefined ? Promise.resolve(undefined) : readFile(p, "utf8");
    let texts: (string | undefined)[];
    try {
      texts = await Promise.all([read(certPath), read(keyPath), read(clientCaPath)]);
    } catch (e) {
      // Mid-swap a path can vanish for an instant; the next event or poll retries.
      log.warn({ err: (e as Error).message }, "TLS files not readable; keeping the current ones");
      return false;
    }
    const [certText, keyText, caText] = texts;
    const cur = this.state;
    const sameCert = certText === undefined || (certText === cur.cert.cert && keyText === cur.cert.key);
    const sameCa = caText === undefined || caText === cur.clientCa?.pem;
    if (sameCert && sameCa) return false;
    const signature = `${certText}\0${keyText}\0${caText}`;
    if (signature === this.lastFailed) return false;
    const file = sameCert ? "client-ca" : "serving";
    try {
      const cert =
        certText === undefined || keyText === undefined
          ? cur.cert
          : parseCertPair(certText, keyText, certPath ?? "", keyPath ?? "");
      const clientCa = caText === undefined ? undefined : parseClientCa(caText, clientCaPath ?? "");
      const ctxOpts = secureContextOptions(cert, clientCa);
      createSecureContext(ctxOpts); // throws on what X509 parsing let through
      this.opts.apply(ctxOpts);
      this.state = { cert, clientCa };
      this.lastFailed = "";
    } catch (e) {
      this.lastFailed = signature;
      metrics.reloads.inc({ file, result: "error" });
      log.error(
        { err: (e as Error).message, file },
        "new TLS files rejected; still serving the previous ones",
      );
      return false;
    }
    metrics.reloads.inc({ file, result: "ok" });
    this.publish();
    log.info(
      { notAfter: this.state.cert.notAfter.toISOString(), clientCa: this.state.clientCa?.count },
      "TLS files reloaded; new connections use them",
    );
    if (this.state.cert.notAfter.getTime() < Date.now()) log.warn("the new serving certificate has expired");
    return true;
  }

  private publish(): void {
    const { metrics } = this.opts;
    metrics.certExpiry.set({ file: "serving" }, this.state.cert.notAfter.getTime() / 1000);
    if (this.state.clientCa !== undefined)
      metrics.certExpiry.set({ file: "client-ca" }, this.state.clientCa.notAfter.getTime() / 1000);
  }
}
