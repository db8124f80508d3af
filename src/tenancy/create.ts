// --directory file:PATH | cluster -> a Directory backend.
import type { Logger } from "pino";
import type { Config } from "../config/schema.ts";
import { TenantGuardError } from "../errors.ts";
import type { Directory } from "./directory.ts";
import { FileDirectory } from "./file.ts";

export async function createDirectory(cfg: Config, log: Logger): Promise<Directory> {
  const source = cfg.directory.source;
  if (source.startsWith("file:")) {
    return new FileDirectory({
      path: source.slice("file:".length),
      tenantLabel: cfg.tenancy.tenantLabel,
      log: log.child({ component: "directory" }),
      watch: cfg.directory.watchFile,
    });
  }
  if (source === "cluster") {
    const { createClusterDirectory } = await import("./cluster/create.ts");
    return createClusterDirectory(cfg, log.child({ component: "directory" }));
  }
  throw new TenantGuardError(
    "TG_CONFIG_INVALID",
    `directory.source: unknown source ${JSON.stringify(source)}`,
  );
}
