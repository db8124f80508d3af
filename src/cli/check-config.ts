// `tenant-guard check-config FILE`: validates a config file and prints every problem with its field
// path and line. Exit 0 when valid, 1 when invalid.
import { buildConfig, readConfigFile } from "../config/load.ts";
import { isTenantGuardError } from "../errors.ts";

export function checkConfig(args: readonly string[]): number {
  const file = args[0];
  if (file === undefined || args.length > 1) {
    console.error("usage: tenant-guard check-config FILE");
    return 2;
  }
  try {
    const cfg = buildConfig(readConfigFile(file));
    console.log(`${file}: ok (directory ${cfg.directory.source}, enforcement ${cfg.enforcement.mode})`);
    return 0;
  } catch (e) {
    if (!isTenantGuardError(e)) throw e;
    console.error(`${file}: invalid`);
    for (const problem of (e.detail ?? e.message).split("; ")) console.error(`  - ${problem}`);
    return 1;
  }
}
