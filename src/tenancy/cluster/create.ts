// Placeholder until the cluster backend lands (issue: tenant directory).
import type { Logger } from "pino";
import type { Config } from "../../config/schema.ts";
import { TenantGuardError } from "../../errors.ts";
import type { Directory } from "../directory.ts";

export async function createClusterDirectory(_cfg: Config, _log: Logger): Promise<Directory> {
  throw new TenantGuardError(
    "TG_CONFIG_INVALID",
    "the cluster directory backend is not available in this build",
  );
}
