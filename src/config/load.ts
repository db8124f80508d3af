// Config assembly: defaults (schema) <- config file <- TENANT_GUARD_* env <- flags. Validated once,
// errors name the field path (and the file line when it came from a file), result deep-frozen.
import { readFileSync } from "node:fs";
import { LineCounter, parseDocument, isMap, isSeq, type Node } from "yaml";
import type { z } from "zod";
import { TenantGuardError } from "../errors.ts";
import { isRecord, type JsonRecord } from "../k8s/access.ts";
import { configSchema, type Config } from "./schema.ts";

/** A problem at a path of the raw config (a rule code config cannot know, say). */
export interface PathIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Checks config cannot make itself; policy passes its rule-code check (policy/config.ts). */
export type ExtraIssues = (raw: unknown) => PathIssue[];

export interface ConfigFile {
  readonly path: string;
  readonly data: JsonRecord;
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new TenantGuardError("TG_CONFIG_INVALID", `${path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  const err = doc.errors[0];
  if (err !== undefined) {
    const line = lc.linePos(err.pos[0]).line;
    throw new TenantGuardError("TG_CONFIG_INVALID", `${path}:${line}: ${err.message.split("\n")[0]}`);
  }
  const data: unknown = doc.toJS() ?? {};
  if (!isRecord(data))
    throw new TenantGuardError("TG_CONFIG_INVALID", `${path}:1: config must be a YAML mapping`);
  const lineOf = (p: readonly PropertyKey[]): number | undefined => {
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const seg of p) {
      if (isSeq(node) && typeof seg === "number") {
        // a list item: its own line, e.g. the misspelled code in `forced`
        node = node.items[seg];
        const start = (node as Node | undefined)?.range?.[0];
        if (start !== undefined) line = lc.linePos(start).line;
        continue;
      }
      if (!isMap(node)) break;
      const pair = node.items.find((it) => (it.key as { value?: unknown } | null)?.value === seg);
      if (pair === undefined) break;
      const start = (pair.key as Node | null)?.range?.[0];
      if (start !== undefined) line = lc.linePos(start).line;
      node = pair.value;
    }
    return line;
  };
  return { path, data, lineOf };
}

/** Deep merge of plain objects; arrays and scalars from `over` replace those in `base`. */
function merge(base: JsonRecord, over: JsonRecord): JsonRecord {
  const out: JsonRecord = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const b = out[k];
    out[k] = isRecord(b) && isRecord(v) ? merge(b, v) : v;
  }
  return out;
}

function deepFreeze<T>(x: T): T {
  if (typeof x === "object" && x !== null && !Object.isFrozen(x)) {
    Object.freeze(x);
    for (const v of Object.values(x)) deepFreeze(v);
  }
  return x;
}

function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  extra: readonly PathIssue[],
  file: ConfigFile | undefined,
): string {
  const where = (at: readonly PropertyKey[]): string => {
    const line = file?.lineOf(at);
    return file !== undefined && line !== undefined ? ` (${file.path}:${line})` : "";
  };
  const described = issues.flatMap((i) => {
    const path = i.path.map(String).join(".") || "(root)";
    // For unknown keys, one problem per key, each at the key's own line rather than its parent's.
    if (i.code === "unrecognized_keys" && i.keys.length > 0)
      return i.keys.map((k) => `${path}: unknown key ${JSON.stringify(k)}${where([...i.path, k])}`);
    return [`${path}: ${i.message}${where(i.path)}`];
  });
  const more = extra.map((x) => `${x.path.map(String).join(".")}: ${x.message}${where(x.path)}`);
  return [...described, ...more].join("; ");
}

/** Validates the merged layers; throws TG_CONFIG_INVALID listing every problem with its field path. */
export function buildConfigWith(
  file: ConfigFile | undefined,
  overrides: JsonRecord,
  extraIssues: ExtraIssues,
): Config {
  const merged = merge(file?.data ?? {}, overrides);
  const parsed = configSchema.safeParse(merged);
  const codes = extraIssues(merged);
  if (!parsed.success || codes.length > 0) {
    const issues = parsed.success ? [] : parsed.error.issues;
    throw new TenantGuardError("TG_CONFIG_INVALID", describeIssues(issues, codes, file));
  }
  const cfg = parsed.data;
  if ((cfg.server.tlsCert === undefined) !== (cfg.server.tlsKey === undefined)) {
    throw new TenantGuardError(
      "TG_CONFIG_INVALID",
      "server.tlsCert and server.tlsKey must be given together",
    );
  }
  if (cfg.server.headersTimeoutMs > cfg.server.requestTimeoutMs) {
    throw new TenantGuardError(
      "TG_CONFIG_INVALID",
      "server.headersTimeoutMs must not exceed server.requestTimeoutMs",
    );
  }
  return deepFreeze(cfg);
}
