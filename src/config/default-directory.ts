// The default directory, file:examples/cluster.yaml, is relative to the working directory: run
// from anywhere but a checkout it does not exist, and "ENOENT" alone does not say it was a default.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { configSchema } from "./schema.ts";
import type { Config } from "./schema.ts";
import { TenantGuardError } from "../errors.ts";

const DEFAULT_SOURCE = configSchema.parse({}).directory.source;

/** Throws TG_USAGE saying so when the directory is the default and it is missing. */
export function checkDefaultDirectory(cfg: Config, cwd = process.cwd()): void {
  const source = cfg.directory.source;
  if (source !== DEFAULT_SOURCE) return;
  const path = source.slice("file:".length);
  if (existsSync(resolve(cwd, path))) return;
  throw new TenantGuardError(
    "TG_USAGE",
    `no --directory given, and the default ${source} does not exist here (${resolve(cwd, path)}); ` +
      "pass --directory file:PATH (your tenants, namespaces, ...) or --directory cluster",
  );
}
