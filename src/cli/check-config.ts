// `tenant-guard check-config [FILE] [--directory file:PATH]`: validates a config file and the
// tenant directory file it names (or --directory), printing every problem with its field path and
// the line of its key. Exit 0 when valid (warnings allowed), 1 when invalid, 2 on bad usage.
import { parseArgs } from "node:util";
import { readConfigFile } from "../config/load.ts";
import { buildConfig } from "../policy/config.ts";
import { checkDirectoryPath } from "./directory-check.ts";
import { isTenantGuardError } from "../errors.ts";
import type { JsonRecord } from "../k8s/access.ts";
import { didYouMean } from "../config/did-you-mean.ts";

const CHECK_CONFIG_USAGE = "usage: tenant-guard check-config [FILE] [--directory file:PATH]";

interface Out {
  log(line: string): void;
  error(line: string): void;
}

function usage(out: Out, why: string): number {
  out.error(`tenant-guard check-config: ${why}\n${CHECK_CONFIG_USAGE}`);
  return 2;
}

export async function checkConfig(args: readonly string[], out: Out = console): Promise<number> {
  let parsed: { values: { directory?: string }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...args],
      options: { directory: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const flag = /'(--?[^']+)'/.exec((e as Error).message)?.[1];
    return usage(out, (e as Error).message + (flag ? didYouMean(flag, ["--directory"]) : ""));
  }
  const file = parsed.positionals[0];
  const dirFlag = parsed.values.directory;
  if (parsed.positionals.length > 1) return usage(out, "give one config file");
  if (file === undefined && dirFlag === undefined)
    return usage(out, "give a config file, --directory, or both");
  const overrides: JsonRecord = dirFlag === undefined ? {} : { directory: { source: dirFlag } };
  const name = file ?? "(defaults)";
  let source: string;
  let summary: string;
  try {
    const cfg = buildConfig(file === undefined ? undefined : readConfigFile(file), overrides);
    source = cfg.directory.source;
    summary = `directory ${source}, enforcement ${cfg.enforcement.mode}`;
  } catch (e) {
    if (!isTenantGuardError(e)) throw e;
    out.error(`${name}: invalid`);
    for (const problem of (e.detail ?? e.message).split("; ")) out.error(`  - ${problem}`);
    return 1;
  }
  if (!source.startsWith("file:")) {
    out.log(`${name}: ok (${summary}; a cluster directory is not checked offline)`);
    return 0;
  }
  const path = source.slice("file:".length);
  const dir = await checkDirectoryPath(path);
  for (const w of dir.warnings) out.error(`  ! ${w}`);
  if (dir.errors.length > 0) {
    out.error(`${path}: invalid`);
    for (const problem of dir.errors) out.error(`  - ${problem}`);
    return 1;
  }
  out.log(`${name}: ok (${summary}: ${dir.objects} objects)`);
  return 0;
}
