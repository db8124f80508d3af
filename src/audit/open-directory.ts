// The tenant directory an offline audit judges against: the same backends `serve` uses, started
// once, without file watching, and waited for until ready (a cluster directory syncs first).
import type { Logger } from "pino";
import type { Config } from "../config/schema.ts";
import { TenantGuardError } from "../errors.ts";
import { createDirectory } from "../tenancy/create.ts";
import type { Directory } from "../tenancy/directory.ts";

export async function openDirectory(
  cfg: Config,
  log: Logger,
  progress: (line: string) => void,
  timeoutMs = 120_000,
): Promise<Directory> {
  const dir = await createDirectory(cfg, log);
  try {
    await dir.start();
    const t0 = Date.now();
    let lastSay = t0;
    while (!dir.readiness().ready) {
      const now = Date.now();
      if (now - t0 > timeoutMs) {
        const reason = dir.readiness().reason ?? "not synced";
        throw new TenantGuardError(
          "TG_USAGE",
          `directory ${cfg.directory.source} not ready after ${timeoutMs / 1000} s: ${reason}`,
        );
      }
      if (now - lastSay >= 5000) {
        progress(
          `waiting for directory ${cfg.directory.source} to sync (${dir.readiness().reason ?? "syncing"})`,
        );
        lastSay = now;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  } catch (e) {
    await dir.close();
    throw e;
  }
  return dir;
}
