// A small kustomize for CI, where neither kustomize nor kubectl is installed: the subset deploy/
// uses — `resources` (files and directories, in kustomizations and components), `components`,
// JSON6902 `patches` with a target, and `configMapGenerator` from files without a name hash —
// nothing else. Anything else in a kustomization.yaml is an error, so the subset cannot drift
// silently. Where kubectl exists, test/deploy/kustomize.test.ts compares this with `kubectl kustomize`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fastJsonPatch from "fast-json-patch";
import type { Operation } from "fast-json-patch";
import { parseAllDocuments } from "yaml";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const DEPLOY = join(REPO, "deploy");

export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
};

const KNOWN_KEYS = new Set([
  "apiVersion",
  "kind",
  "resources",
  "components",
  "patches",
  "configMapGenerator",
]);

/** Every document of a YAML file; throws with the file name on a syntax error. */
export function readYamlDocs(file: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  const out: unknown[] = [];
  for (const d of docs) {
    if (d.errors.length > 0) throw new Error(`${file}: ${d.errors.map((e) => e.message).join("; ")}`);
    const js: unknown = d.toJS();
    if (js !== null && js !== undefined) out.push(js);
  }
  return out;
}

export function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFilesUnder(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

interface Target {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

interface ConfigMapGenerator {
  name: string;
  namespace?: string;
  files?: string[];
  options?: { disableNameSuffixHash?: boolean; labels?: Record<string, string> };
}

interface Kustomization {
  kind: "Kustomization" | "Component";
  resources?: string[];
  components?: string[];
  patches?: { path?: string; patch?: string; target?: Target }[];
  configMapGenerator?: ConfigMapGenerator[];
}

export function readKustomization(dir: string): Kustomization {
  const file = join(dir, "kustomization.yaml");
  const [k] = readYamlDocs(file) as Kustomization[];
  if (k === undefined) throw new Error(`${file}: empty`);
  for (const key of Object.keys(k)) {
    if (!KNOWN_KEYS.has(key)) throw new Error(`${file}: "${key}" is outside the supported subset`);
  }
  return k;
}

function matches(o: K8sObject, t: Target): boolean {
  const [group, version] = o.apiVersion.includes("/") ? o.apiVersion.split("/") : ["", o.apiVersion];
  return (
    (t.group === undefined || t.group === group) &&
    (t.version === undefined || t.version === version) &&
    (t.kind === undefined || t.kind === o.kind) &&
    (t.name === undefined || t.name === o.metadata.name) &&
    (t.namespace === undefined || t.namespace === o.metadata.namespace)
  );
}

function applyPatches(dir: string, k: Kustomization, objects: K8sObject[]): K8sObject[] {
  let out = objects;
  for (const p of k.patches ?? []) {
    if (p.target === undefined) throw new Error(`${dir}: only JSON6902 patches with a target are supported`);
    const text = p.path !== undefined ? readFileSync(join(dir, p.path), "utf8") : (p.patch ?? "");
    const ops = parseOps(text);
    const target = p.target;
    let hit = 0;
    out = out.map((o) => {
      if (!matches(o, target)) return o;
      hit++;
      return fastJsonPatch.applyPatch(structuredClone(o), ops, true, false).newDocument;
    });
    if (hit === 0) throw new Error(`${dir}: patch ${p.path ?? "<inline>"} matched no object`);
  }
  return out;
}

function parseOps(text: string): Operation[] {
  const docs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
  const ops = docs[0];
  if (!Array.isArray(ops)) throw new Error("a JSON6902 patch must be a list of operations");
  return ops as Operation[];
}

/** The objects `kustomize build dir` would produce (for the supported subset), in build order. */
export function build(dir: string): K8sObject[] {
  const k = readKustomization(dir);
  let objects = [...resourcesOf(dir, k), ...generated(dir, k)];
  for (const c of k.components ?? []) objects = applyComponent(join(dir, c), objects);
  return applyPatches(dir, k, objects);
}

/** A Component applied to the objects built so far: its resources and generators, then patches. */
export function applyComponent(cdir: string, objects: K8sObject[]): K8sObject[] {
  const ck = readKustomization(cdir);
  if (ck.kind !== "Component") throw new Error(`${cdir}: listed as a component but kind is ${ck.kind}`);
  return applyPatches(cdir, ck, [...objects, ...resourcesOf(cdir, ck), ...generated(cdir, ck)]);
}

function resourcesOf(dir: string, k: Kustomization): K8sObject[] {
  const out: K8sObject[] = [];
  for (const r of k.resources ?? []) {
    const p = join(dir, r);
    if (!existsSync(p)) throw new Error(`${dir}: resource ${r} does not exist`);
    if (statSync(p).isDirectory()) out.push(...build(p));
    else out.push(...(readYamlDocs(p) as K8sObject[]));
  }
  return out;
}

/** configMapGenerator: one data key per file (its base name), no name hash (the subset). */
function generated(dir: string, k: Kustomization): K8sObject[] {
  return (k.configMapGenerator ?? []).map((g) => {
    if (g.options?.disableNameSuffixHash !== true)
      throw new Error(`${dir}: configMapGenerator ${g.name} needs disableNameSuffixHash (the subset)`);
    const data: Record<string, string> = {};
    for (const f of g.files ?? []) data[basename(f)] = readFileSync(join(dir, f), "utf8");
    const labels = g.options.labels;
    return {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: g.name,
        ...(g.namespace !== undefined ? { namespace: g.namespace } : {}),
        ...(labels !== undefined ? { labels } : {}),
      },
      data,
    };
  });
}

export function findObject(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (o === undefined) throw new Error(`no ${kind} ${name} in the build`);
  return o;
}
