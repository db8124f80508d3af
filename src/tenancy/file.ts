// File backend: one YAML file or a directory of *.yaml/*.yml files. Watches for changes and
// reloads; a reload that fails keeps the last good index and says so (log + status.reason).
import { watch, type FSWatcher } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Logger } from "pino";
import { TenantGuardError, isTenantGuardError } from "../errors.ts";
import { buildIndex } from "./build.ts";
import { READY, type Directory, type DirectoryStatus, type Readiness } from "./directory.ts";
import type { TenantIndex } from "./tenant-index.ts";
import type { TenantView } from "./view.ts";
import { parseYamlObjects, type SourcedObject } from "./yaml-objects.ts";

export async function loadDirectoryPath(path: string, tenantLabel: string): Promise<TenantIndex> {
  return buildIndex(await readObjects(path), tenantLabel).index;
}

async function readObjects(path: string): Promise<SourcedObject[]> {
  let files: string[];
  try {
    const st = await stat(path);
    files = st.isDirectory()
      ? (await readdir(path))
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .map((f) => join(path, f))
      : [path];
  } catch (e) {
    throw new TenantGuardError("TG_DIRECTORY_INVALID", `${path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  const out: SourcedObject[] = [];
  for (const f of files) out.push(...parseYamlObjects(await readFile(f, "utf8"), f));
  return out;
}

export class FileDirectory implements Directory {
  readonly kind = "file" as const;
  private index: TenantIndex | undefined;
  private lastError: string | undefined;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<void> = Promise.resolve();
  private readonly path: string;
  private readonly tenantLabel: string;
  private readonly log: Logger;
  private readonly watchChanges: boolean;

  constructor(opts: { path: string; tenantLabel: string; log: Logger; watch?: boolean }) {
    this.path = opts.path;
    this.tenantLabel = opts.tenantLabel;
    this.log = opts.log;
    this.watchChanges = opts.watch ?? true;
  }

  async start(): Promise<void> {
    this.index = await loadDirectoryPath(this.path, this.tenantLabel);
    this.log.info({ path: this.path, counts: this.index.counts() }, "tenant directory loaded from file");
    if (!this.watchChanges) return;
    const st = await stat(this.path);
    // Watch the parent of a file: editors and ConfigMap mounts replace files by rename.
    const target = st.isDirectory() ? this.path : dirname(this.path);
    const name = st.isDirectory() ? undefined : basename(this.path);
    this.watcher = watch(target, (_event, changed) => {
      if (name !== undefined && changed !== null && changed !== name && !changed.startsWith("..")) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.reload(), 100);
    });
    this.watcher.on("error", (e) => this.log.error({ err: e, path: this.path }, "directory watch failed"));
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
    clearTimeout(this.timer);
    this.watcher?.close();
    await this.reloading;
  }
}
