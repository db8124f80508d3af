// Argo's podSpecPatch is a string: a JSON or YAML strategic-merge patch of the pod spec Argo builds.
// Whatever fields it sets end up in the pod, so they are judged like any other pod spec. Parsing is
// bounded: a length cap and no YAML aliases (an alias bomb would expand far beyond the input).
// Argo substitutes `{{...}}` expressions into the text before it parses it, so each expression is
// swapped for an inert placeholder first: the patch's shape is read as Argo will read it, and we
// learn where each expression sits (a key, a value, or the whole patch).
import { parse } from "yaml";
import { rec, type JsonRecord } from "../../k8s/access.ts";

/** Patches longer than this are not parsed (real ones are a few hundred bytes). */
export const POD_SPEC_PATCH_MAX = 64 * 1024;
/**
 * What one object's patches may hold together: the YAML parser costs microseconds a byte, and a
 * workflow has one patch per template.
 */
export const POD_SPEC_PATCHES_TOTAL_MAX = 128 * 1024;
/** Flow nesting past this is not parsed: the YAML parser slows superlinearly with depth (a pod spec is ~10 deep). */
const POD_SPEC_PATCH_DEPTH = 64;

/** The deepest `[`/`{` nesting, counted over the raw text (brackets in strings count too: an upper bound). */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return max;
}

/** Where a `{{...}}` expression sits: a key or the whole patch shape the pod; a value is data. */
export type TemplateSite = "key" | "value" | "whole";

export interface PatchTemplate {
  /** Path inside the patch ("" for the whole patch), e.g. `containers[0].resources.limits.cpu`. */
  readonly path: string;
  readonly site: TemplateSite;
  /** The expression as written, `{{inputs.parameters.cpu}}` (cut to 80 characters). */
  readonly text: string;
}

export type PatchReading =
  /** spec: undefined when the patch sets nothing (empty, only comments, or wholly a template). */
  | { readonly ok: true; readonly spec: JsonRecord | undefined; readonly templates: readonly PatchTemplate[] }
  | { readonly ok: false; readonly why: string };

const OPEN = "\uE000";
const CLOSE = "\uE001";
const MARK = /\uE000(\d+)\uE001/g; // linear: no nesting, no alternation, digits only

/** Swaps each `{{...}}` for OPEN n CLOSE; an unclosed `{{` stays text (Argo leaves it too). */
function mask(patch: string): { text: string; exprs: string[] } {
  const exprs: string[] = [];
  let text = "";
  let from = 0;
  for (;;) {
    const start = patch.indexOf("{{", from);
    if (start < 0) break;
    const end = patch.indexOf("}}", start + 2);
    if (end < 0) break;
    text += patch.slice(from, start) + OPEN + String(exprs.length) + CLOSE;
    exprs.push(patch.slice(start, end + 2));
    from = end + 2;
  }
  return { text: text + patch.slice(from), exprs };
}

const cut = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** Puts the expressions back into a masked string, collecting each one met. */
function unmask(s: string, exprs: readonly string[], found: string[]): string {
  if (!s.includes(OPEN)) return s;
  return s.replace(MARK, (m: string, n: string) => {
    const expr = exprs[Number(n)];
    if (expr === undefined) return m; // the input's own private-use characters: left as they are
    found.push(cut(expr));
    return expr;
  });
}

/** Unmasks `s` and records the expressions it held as sitting at `path`. */
function note(
  s: string,
  exprs: readonly string[],
  site: TemplateSite,
  path: (restored: string) => string,
  out: PatchTemplate[],
): string {
  const found: string[] = [];
  const restored = unmask(s, exprs, found);
  for (const text of found) out.push({ path: path(restored), site, text });
  return restored;
}

const NOT_JSON = Symbol("not JSON");

/** Most patches are JSON: the native parser reads them a hundred times faster than the YAML one. */
function json(text: string): unknown {
  if (!text.trimStart().startsWith("{")) return NOT_JSON;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON; // YAML flow style (unquoted keys or values) is read by the YAML parser
  }
}

const join = (base: string, key: string): string => (base === "" ? key : `${base}.${key}`);

/**
 * Restores the expressions in the parsed patch, in place and without recursion (a deep patch
 * cannot overflow the stack), recording where each one sits.
 */
function restore(root: JsonRecord, exprs: readonly string[], out: PatchTemplate[]): void {
  const stack: Array<{ node: unknown; path: string }> = [{ node: root, path: "" }];
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        const p = `${path}[${i}]`;
        if (typeof v === "string") node[i] = note(v, exprs, "value", () => p, out);
        else if (typeof v === "object" && v !== null) stack.push({ node: v, path: p });
      }
      continue;
    }
    const obj = node as Record<string, unknown>;
    for (const key of Object.keys(obj)) {
      const v = obj[key];
      const k = note(key, exprs, "key", (r) => join(path, r), out);
      const p = join(path, k);
      if (k !== key) {
        delete obj[key];
        obj[k] = v;
      }
      if (typeof v === "string") obj[k] = note(v, exprs, "value", () => p, out);
      else if (typeof v === "object" && v !== null) stack.push({ node: v, path: p });
    }
  }
}

/** Reads a patch as Argo will: what it sets, where its expressions sit, or why it cannot be read. */
export function readPodSpecPatch(patch: string): PatchReading {
  if (patch.length === 0) return { ok: true, spec: undefined, templates: [] };
  if (patch.length > POD_SPEC_PATCH_MAX)
    return { ok: false, why: `it is ${patch.length} characters long, over the ${POD_SPEC_PATCH_MAX} read` };
  const { text, exprs } = mask(patch);
  if (flowDepth(text) > POD_SPEC_PATCH_DEPTH)
    return { ok: false, why: `it nests brackets deeper than ${POD_SPEC_PATCH_DEPTH} levels` };
  let doc: unknown = json(text);
  if (doc === NOT_JSON)
    try {
      doc = parse(text, {
        maxAliasCount: 0,
        uniqueKeys: false,
        prettyErrors: false,
        logLevel: "error",
      }) as unknown;
    } catch (e) {
      const msg = e instanceof Error ? (e.message.split("\n")[0] ?? "") : "";
      return { ok: false, why: `it is neither JSON nor YAML (${cut(unmask(msg, exprs, []))})` };
    }
  if (doc === null || doc === undefined) return { ok: true, spec: undefined, templates: [] };
  if (typeof doc === "string" && doc.includes(OPEN)) {
    const templates: PatchTemplate[] = [];
    note(doc, exprs, "whole", () => "", templates);
    return { ok: true, spec: undefined, templates };
  }
  const spec = rec(doc);
  if (spec === undefined)
    return {
      ok: false,
      why: `it is a ${Array.isArray(doc) ? "list" : typeof doc}, not a mapping of pod spec fields`,
    };
  const templates: PatchTemplate[] = [];
  if (exprs.length > 0) restore(spec, exprs, templates);
  return { ok: true, spec, templates };
}
