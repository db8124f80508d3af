// Manifests to audit: files, directories (recursive: *.yaml, *.yml, *.json) and "-" for stdin
// (multi-document YAML, `kind: List`, `helm template` or `kustomize build` output). Every object
// keeps the file and line it came from. A file that cannot be read or parsed is reported (file,
// line, why) and skipped, and the rest is audited; documents that are not objects are skipped with
// a note (documents.ts).
import type { Dirent } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { readYamlStream, YamlSyntaxError, type SourcedObject } from "../tenancy/yaml-objects.ts";
import { sortDocuments, type ManifestSet, type UnreadableInput } from "./documents.ts";

export type { ManifestSet, UnreadableInput };

const MANIFEST = /\.(ya?ml|json)$/i;
const STDIN_NAME = "<stdin>";

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === "string" ? Buffer.from(c) : c);
  return Buffer.concat(chunks).toString("utf8");
}

function cannotRead(path: string, e: unknown): UnreadableInput {
  const code = (e as NodeJS.ErrnoException).code;
  return { file: path, message: `cannot read (${code ?? String(e)})` };
}

/** Files under a directory, sorted, hidden entries (.git, .helm) skipped. */
async function walk(dir: string, unreadable: UnreadableInput[]): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    unreadable.push(cannotRead(dir, e));
    return [];
  }
  const out: string[] = [];
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p, unreadable)));
    else if (e.isFile() && MANIFEST.test(e.name)) out.push(p);
  }
  return out;
}

export async function readManifests(
  paths: readonly string[],
  stdin: NodeJS.ReadableStream,
): Promise<ManifestSet> {
  const objects: SourcedObject[] = [];
  const notes: ManifestSet["skipped"][number][] = [];
  const unreadable: UnreadableInput[] = [];
  const parse = (text: string, file: string): void => {
    try {
      const s = readYamlStream(text, file);
      objects.push(...s.objects);
      notes.push(...s.skipped);
    } catch (e) {
      if (!(e instanceof YamlSyntaxError)) throw e;
      unreadable.push({ file: e.file, line: e.line, message: e.why });
    }
  };
  for (const p of paths) {
    if (p === "-") {
      parse(await readStream(stdin), STDIN_NAME);
      continue;
    }
    let files: string[];
    try {
      files = (await stat(p)).isDirectory() ? await walk(p, unreadable) : [p];
    } catch (e) {
      unreadable.push(cannotRead(p, e));
      continue;
    }
    for (const f of files) {
      let text: string;
      try {
        text = await readFile(f, "utf8");
      } catch (e) {
        unreadable.push(cannotRead(f, e));
        continue;
      }
      parse(text, f);
    }
  }
  return sortDocuments(objects, notes, unreadable);
}
