// Manifests to audit: files, directories (recursive: *.yaml, *.yml, *.json) and "-" for stdin
// (multi-document YAML, `kind: List`, `helm template` or `kustomize build` output). Every object
// keeps the file and line it came from; unreadable input is an error naming file and line.
import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { TenantGuardError } from "../errors.ts";
import { parseYamlObjects, type SourcedObject } from "../tenancy/yaml-objects.ts";

const MANIFEST = /\.(ya?ml|json)$/i;
export const STDIN_NAME = "<stdin>";

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === "string" ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString("utf8");
}

/** Files under a directory, sorted, hidden entries (.git, .helm) skipped. */
async function walk(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw unreadable(dir, e);
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() && MANIFEST.test(e.name)) out.push(p);
  }
  return out;
}

function unreadable(path: string, e: unknown): TenantGuardError {
  const code = (e as NodeJS.ErrnoException).code;
  return new TenantGuardError("TG_USAGE", `${path}: cannot read (${code ?? String(e)})`);
}

async function parseFile(file: string): Promise<SourcedObject[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw unreadable(file, e);
  }
  return parseYamlObjects(text, file);
}

export async function readManifests(
  paths: readonly string[],
  stdin: NodeJS.ReadableStream,
): Promise<SourcedObject[]> {
  const out: SourcedObject[] = [];
  for (const p of paths) {
    if (p === "-") {
      out.push(...parseYamlObjects(await readStream(stdin), STDIN_NAME));
      continue;
    }
    let isDir: boolean;
    try {
      isDir = (await stat(p)).isDirectory();
    } catch (e) {
      throw unreadable(p, e);
    }
    const files = isDir ? await walk(p) : [p];
    for (const f of files) out.push(...(await parseFile(f)));
  }
  return out;
}
