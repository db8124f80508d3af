// Watches files the way Kubernetes updates mounted Secrets and ConfigMaps: the kubelet writes a new
// timestamped directory and swaps the `..data` symlink, so the DIRECTORY is watched (a watch on the
// file itself would stay on the old inode). A slow poll backs the watch up where inotify events are
// not delivered (some network and overlay filesystems); the callback must be cheap when nothing changed.
// Every file the server reloads (certificate, key, client CA, JWKS, a file directory) is watched here.
import { watch, type FSWatcher } from "node:fs";
import { dirname, resolve } from "node:path";

export interface FileWatch {
  close(): void;
}

export interface WatchOptions {
  readonly pollMs: number;
  /** Writers update a pair (cert, key) in two steps: wait for the burst to settle. */
  readonly debounceMs?: number;
  /** Directories watched themselves (their files' changes), besides the parents of `paths`. */
  readonly dirs?: readonly string[];
  onError(e: Error): void;
}

export function watchFiles(paths: readonly string[], onChange: () => void, opts: WatchOptions): FileWatch {
  const dirs = [
    ...new Set([...paths.map((p) => dirname(resolve(p))), ...(opts.dirs ?? []).map((d) => resolve(d))]),
  ];
  const debounceMs = opts.debounceMs ?? 100;
  let timer: NodeJS.Timeout | undefined;
  const fire = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, debounceMs);
    timer.unref();
  };
  const watchers: FSWatcher[] = [];
  for (const dir of dirs) {
    try {
      const w = watch(dir, { persistent: false }, fire);
      w.on("error", opts.onError);
      watchers.push(w);
    } catch (e) {
      opts.onError(e as Error);
    }
  }
  const poll = setInterval(onChange, opts.pollMs);
  poll.unref();
  return {
    close() {
      for (const w of watchers) w.close();
      clearInterval(poll);
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
