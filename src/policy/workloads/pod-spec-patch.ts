// Argo's podSpecPatch is a string: a JSON or YAML strategic-merge patch of the pod spec Argo builds.
// Whatever fields it sets end up in the pod, so they are judged like any other pod spec. Parsing is
// bounded: a length cap and no YAML aliases (an alias bomb would expand far beyond the input).
import { parse } from "yaml";
import { rec, type JsonRecord } from "../../k8s/access.ts";

/** Patches longer than this are not parsed (real ones are a few hundred bytes). */
const POD_SPEC_PATCH_MAX = 64 * 1024;

/**
 * The pod spec fields a patch sets, or undefined when it sets none we can read: too long, not
 * JSON/YAML, or not a mapping. Argo itself fails such a workflow step rather than creating a pod.
 */
export function parsePodSpecPatch(patch: string): JsonRecord | undefined {
  if (patch.length === 0 || patch.length > POD_SPEC_PATCH_MAX) return undefined;
  try {
    return rec(parse(patch, { maxAliasCount: 0, uniqueKeys: false, prettyErrors: false }) as unknown);
  } catch {
    return undefined;
  }
}
