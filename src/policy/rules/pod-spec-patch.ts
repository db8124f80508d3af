// TG-POD-SPEC-PATCH: a string-encoded pod spec patch (Argo's podSpecPatch) is judged like a pod spec
// by the other pod rules; this rule covers what they cannot see. A patch that cannot be read (not
// JSON/YAML, not a mapping, over the length read) is denied rather than passed unread. A `{{...}}`
// expression that is a key or the whole patch decides the pod's shape at run time: denied. One in a
// value is data Argo fills in at run time: a warning (the pod Argo creates is admitted on its own).
import { POD_SPEC_PATCH } from "../pod/codes.ts";
import { podTargetsRule } from "../pod/pod-rule.ts";
import { subject, type PodScope } from "../pod/scope.ts";
import type { Finding, Rule } from "../types.ts";
import type { PatchTemplate } from "../workloads/pod-spec-patch.ts";
import type { PodTargets } from "../workloads/targets.ts";

const at = (base: string, t: PatchTemplate): string => (t.path === "" ? base : `${base}.${t.path}`);

function checkPatches(scope: PodScope, targets: PodTargets, out: Finding[]): void {
  const { patches } = targets;
  for (let i = 0; i < patches.length; i++) {
    const { reading, path } = patches[i]!;
    if (!reading.ok) {
      out.push({
        code: POD_SPEC_PATCH,
        message:
          `${subject(scope)} has a pod spec patch tenant-guard cannot read: ${reading.why}; ` +
          `write it as a JSON or YAML mapping of pod spec fields`,
        path,
      });
      continue;
    }
    for (const t of reading.templates) {
      if (t.site === "value") {
        out.push({
          code: POD_SPEC_PATCH,
          // Short: a warning is cut at 256 characters by the API server.
          message: `${subject(scope)}: ${t.text} in a pod spec patch is filled in at run time, checked in the pod`,
          path: at(path, t),
          mode: "Warn",
        });
        continue;
      }
      out.push({
        code: POD_SPEC_PATCH,
        message:
          `${subject(scope)} has a pod spec patch whose ${t.site === "key" ? "field name" : "whole text"} ` +
          `comes from ${t.text} at run time, so which pod fields it sets cannot be checked; ` +
          `name the fields in the patch and template only their values`,
        path: at(path, t),
      });
    }
  }
}

/** Not a pod check: a bare PodSpec has no string patch, only a workload's targets do. */
export const podSpecPatchRule: Rule = podTargetsRule(
  POD_SPEC_PATCH,
  "a string-encoded pod spec patch cannot be read or takes its field names from a template",
  checkPatches,
);
