// `check-config` over a tenant directory file (or folder): every problem at once, each with the
// line of the key it is about, where `serve` stops at the first. Errors: YAML that does not parse,
// objects the directory cannot use, Tenants that fail validation, one modelStorage prefix claimed
// by two tenants. Warnings: Tenant rule codes no rule has (the CRD cannot know the codes).
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { isTenantGuardError } from "../errors.ts";
import { own, rec, str } from "../k8s/access.ts";
import { isCachedKind } from "../tenancy/build.ts";
import { tenantSchema } from "../tenancy/tenant-schema.ts";
import { parseYamlObjects, type SourcedObject } from "../tenancy/yaml-objects.ts";
import { didYouMean } from "../config/did-you-mean.ts";
import { knownRuleCodes } from "../policy/rule-codes.ts";

export interface DirectoryProblems {
  readonly errors: string[];
  readonly warnings: string[];
  /** Objects read, for the "ok" line. */
  readonly objects: number;
}

async function files(path: string): Promise<string[]> {
  const st = await stat(path);
  if (!st.isDirectory()) return [path];
  return (await readdir(path))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(path, f));
}

/** "s3://m/a/" and "s3://m/a" name the same place (model-storage.ts withinPrefix). */
function samePlace(prefix: string): string {
  return prefix.endsWith("/") ? prefix.slice(0, -1) : prefix;
}

export async function checkDirectoryPath(
  path: string,
  known: ReadonlySet<string> = knownRuleCodes(),
): Promise<DirectoryProblems> {
  const errors: string[] = [];
  const warnings: string[] = [];
  let list: string[];
  try {
    list = await files(path);
  } catch (e) {
    return { errors: [`${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`], warnings, objects: 0 };
  }
  const objects: SourcedObject[] = [];
  for (const f of list) {
    try {
      objects.push(...parseYamlObjects(await readFile(f, "utf8"), f));
    } catch (e) {
      if (!isTenantGuardError(e)) throw e;
      errors.push(e.detail ?? e.message);
    }
  }
  /** place -> first claim "tenant (file:line)" */
  const storage = new Map<string, { tenant: string; at: string }>();
  const at = (s: SourcedObject, p: readonly (string | number)[]): string => `${s.file}:${s.lineOf(p)}`;
  for (const s of objects) {
    const kind = str(s.object.kind);
    const name = str(own(rec(s.object.metadata), "name"));
    if (kind === undefined || kind === "") errors.push(`${at(s, ["kind"])}: object has no kind`);
    if (name === undefined || name === "") {
      errors.push(`${at(s, ["metadata"])}: ${kind ?? "object"} has no metadata.name`);
      continue;
    }
    if (isCachedKind(kind) && !str(own(rec(s.object.metadata), "namespace")))
      errors.push(`${at(s, ["metadata"])}: ${kind} "${name}" has no metadata.namespace`);
    if (kind !== "Tenant") continue;
    const parsed = tenantSchema.safeParse(s.object);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const p = i.path.filter((x): x is string | number => typeof x !== "symbol");
        const field = p.join(".") || "(root)";
        // One problem per unknown key, at the key's own line rather than its parent's.
        if (i.code === "unrecognized_keys")
          for (const k of i.keys)
            errors.push(`${at(s, [...p, k])}: Tenant "${name}": ${field}: unknown key "${k}"`);
        else errors.push(`${at(s, p)}: Tenant "${name}": ${field}: ${i.message}`);
      }
    }
    const spec = rec(s.object.spec);
    const rules = rec(rec(spec?.enforcement)?.rules);
    for (const code of Object.keys(rules ?? {})) {
      if (!known.has(code))
        warnings.push(
          `${at(s, ["spec", "enforcement", "rules", code])}: Tenant "${name}": spec.enforcement.rules names unknown rule code "${code}"${didYouMean(code, known)}; it has no effect`,
        );
    }
    const prefixes = spec?.modelStorage;
    if (!Array.isArray(prefixes)) continue;
    prefixes.forEach((prefix: unknown, i: number) => {
      if (typeof prefix !== "string") return;
      const place = samePlace(prefix);
      const where = at(s, ["spec", "modelStorage", i]);
      const first = storage.get(place);
      if (first === undefined) storage.set(place, { tenant: name, at: where });
      else if (first.tenant !== name)
        errors.push(
          `${where}: Tenant "${name}": spec.modelStorage "${prefix}" is also claimed by tenant "${first.tenant}" (${first.at}); a location belongs to one tenant (share it with sharedWith)`,
        );
    });
  }
  return { errors, warnings, objects: objects.length };
}
