// File backend: one YAML file or a directory of *.yaml/*.yml files. Watches for changes (with the
// poll fallback every reloaded file has) and reloads; a reload that fails keeps the last good
// index and says so (log + status.reason).
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "pino";
import { TenantGuardError, isTenantGuardError } from "../errors.ts";
import { watchFiles, type FileWatch } from "../k8s/file-watch.ts";
import { buildIndex } from "./build.ts";
import { READY, type Directory, type DirectoryStatus, type Readiness } from "./directory.ts";
import type { TenantIndex } from "./tenant-index.ts";
import type { TenantView } from "./view.ts";
import { parseYamlObjects, type SourcedObject } from "./yaml-objects.ts";

export async function loadDirectoryPath(path: string, tenantLabel: string): Promise<TenantIndex> {
  return buildIndex(await readObjects(path), tenantLabel).index;
}

/** The YAML files of `path`: itself, or a directory's *.yaml/*.yml in name order. */
async function yamlFiles(path: string): Promise<string[]> {
  try {
    const st = await stat(path);
    return st.isDirectory()
      ? (await readdir(path))
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (e) {
    throw new TenantGuardError("TG_DIRECTORY_INVALID", `${path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
}

/** What the poll compares: each file's identity, size and mtime ("" when unreadable). */
async function fingerprint(path: string): Promise<string> {
  try {
    const parts: string[] = [];
    for (const f of await yamlFiles(path)) {
      const st = await stat(f);
      parts.push(`${f}:${st.ino}:${st.size}:${st.mtimeMs}`);
    }
    return parts.join("\n");
  } catch {
    return "";
  }
}

async function readObjects(path: string): Promise<SourcedObject[]> {
  const files = await yamlFiles(path);
  const out: SourcedObject[] = [];
  for (const f of files) out.push(...parseYamlObjects(await readFile(f, "utf8"), f));
  return out;
}

export class FileDirectory implements Directory {
  readonly kind = "file" as const;
  private index: TenantIndex | undefined;
  private lastError: string | undefined;
  private watcher: FileWatch | undefined;
  private seen = "";
  private reloading: Promise<void> = Promise.resolve();
  private readonly path: string;
  private readonly tenantLabel: string;
  private readonly log: Logger;
  private readonly watchChanges: boolean;
  private readonly pollMs: number;

  /** `pollMs`: how often the files are compared where no watch event comes (default 30 s). */
  constructor(opts: { path: string; tenantLabel: string; log: Logger; watch?: boolean; pollMs?: number }) {
    this.path = opts.path;
    this.tenantLabel = opts.tenantLabel;
    this.log = opts.log;
    this.watchChanges = opts.watch ?? true;
    this.pollMs = opts.pollMs ?? 30_000;
  }

  async start(): Promise<void> {
    this.index = await loadDirectoryPath(this.path, this.tenantLabel);
    this.log.info({ path: this.path, counts: this.index.counts() }, "tenant directory loaded from file");
    if (!this.watchChanges) return;
    this.seen = await fingerprint(this.path);
    const isDir = (await stat(this.path)).isDirectory();
    // A file's parent is watched (editors and ConfigMap mounts replace files by rename); a
    // directory is watched itself. Events for other files in the parent, and polls, reload
    // nothing unless the fingerprint moved.
    this.watcher = watchFiles(isDir ? [] : [this.path], () => void this.changed(), {
      pollMs: this.pollMs,
      ...(isDir ? { dirs: [this.path] } : {}),
      onError: (e) => this.log.error({ err: e, path: this.path }, "directory watch failed"),
    });
  }

  private async changed(): Promise<void> {
    const now = await fingerprint(this.path);
    if (now === this.seen) return;
    this.seen = now;
    await this.reload();
  }

  /** Re-reads the files; on failure keeps serving the last good index. */
  reload(): Promise<void> {
    this.reloading = this.reloading.then(async () => {
      try {
        const next = await loadDirectoryPath(this.path, this.tenantLabel);
        this.index = next;
        this.lastError = undefined;
        this.log.info({ path: this.path, counts: next.counts() }, "tenant directory reloaded");
      } catch (e) {
        this.lastError = isTenantGuardError(e) ? e.message : String(e);
        this.log.error(
          { path: this.path, error: this.lastError },
          "tenant directory reload failed; keeping last good state",
        );
      }
    });
    return this.reloading;
  }

  view(): TenantView {
    if (this.index === undefined) throw new TenantGuardError("TG_INTERNAL", "file directory not started");
    return this.index;
  }

  readiness(): Readiness {
    if (this.index === undefined) return { ready: false, reason: "not loaded" };
    return this.lastError === undefined ? READY : { ready: true, reason: this.lastError };
  }

  status(): DirectoryStatus {
    return { ...this.readiness(), counts: this.index?.counts() ?? {} };
  }

  async close(): Promise<void> {
    this.watcher?.close();
    await this.reloading;
  }
}
