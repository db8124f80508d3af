// TG-PVC-DATA-SOURCE, TG-PVC-VOLUME and TG-PVC-STORAGE-CLASS (storage-class.ts): a claim that copies another tenant's volume, snapshot or
// populated data (dataSource / dataSourceRef), or binds another tenant's PersistentVolume
// (volumeName / selector). One rule per code covers every place a claim spec is written: pods and
// pod templates (generic ephemeral volumes, through the pod checks), PersistentVolumeClaims and
// StatefulSet volumeClaimTemplates. The checks themselves are in src/policy/pod/claim-spec.ts.
import { arr, metadataOf, own, rec, type JsonRecord } from "../../k8s/access.ts";
import { checkClaimDataSource, checkClaimVolume, PVC_DATA_SOURCE, PVC_VOLUME } from "../pod/claim-spec.ts";
import { checkClaimStorageClass, PVC_STORAGE_CLASS } from "../pod/storage-class.ts";
import {
  checkEphemeralDataSources,
  checkEphemeralStorageClasses,
  checkEphemeralVolumes,
} from "../pod/claims.ts";
import { podRule, type PodCheck, type PodRule } from "../pod/pod-rule.ts";
import { podScope, type PodScope } from "../pod/scope.ts";
import type { Finding, RuleContext } from "../types.ts";

type ClaimCheck = (scope: PodScope, spec: JsonRecord, base: string, out: Finding[]) => void;

interface ClaimTarget {
  readonly spec: JsonRecord;
  readonly path: string;
}

/** The claim specs a PVC or StatefulSet writes; undefined for every other request. */
function claimTargets(ctx: RuleContext, obj: JsonRecord | undefined): ClaimTarget[] | undefined {
  const req = ctx.request;
  if (obj === undefined || req.subResource !== "" || req.namespace === "") return undefined;
  // An object on its way out (finalizers being removed) is never blocked: that would wedge deletion.
  if (req.operation === "UPDATE" && own(metadataOf(obj), "deletionTimestamp") != null) return undefined;
  const { group, resource } = req.resource;
  if (group === "" && resource === "persistentvolumeclaims") {
    const spec = rec(own(obj, "spec"));
    return spec === undefined ? undefined : [{ spec, path: "spec" }];
  }
  if (group === "apps" && resource === "statefulsets") {
    const templates = arr(own(rec(own(obj, "spec")), "volumeClaimTemplates"));
    const out: ClaimTarget[] = [];
    for (let i = 0; i < templates.length; i++) {
      const spec = rec(own(rec(templates[i]), "spec"));
      if (spec !== undefined) out.push({ spec, path: `spec.volumeClaimTemplates[${i}].spec` });
    }
    return out;
  }
  return undefined;
}

function run(scope: PodScope, targets: readonly ClaimTarget[], check: ClaimCheck, out: Finding[]): void {
  for (let i = 0; i < targets.length; i++) check(scope, targets[i]!.spec, targets[i]!.path, out);
}

/** The pod check (generic ephemeral volumes' claim templates) plus PVCs and StatefulSet templates. */
function claimRule(ephemeral: PodCheck, check: ClaimCheck): PodRule {
  const pods = podRule(ephemeral);
  return {
    code: ephemeral.code,
    summary: ephemeral.summary,
    pod: ephemeral,
    match: "*",
    operations: ["CREATE", "UPDATE"],
    check(ctx: RuleContext, out: Finding[]): void {
      pods.check(ctx, out);
      const targets = claimTargets(ctx, ctx.request.object);
      if (targets === undefined || targets.length === 0) return;
      const scope = podScope(ctx);
      const before = out.length;
      run(scope, targets, check, out);
      if (out.length === before || ctx.request.operation !== "UPDATE") return;
      // These fields are immutable once set: on UPDATE only a change (volumeName set on a pending
      // claim, say) is judged, so a grandfathered claim can still be resized or relabelled.
      const old = claimTargets(ctx, ctx.request.oldObject);
      if (old === undefined) return;
      const had: Finding[] = [];
      run(scope, old, check, had);
      if (had.length === 0) return;
      const seen = new Set(had.map((f) => `${f.path ?? ""}\n${f.message}`));
      let w = before;
      for (let r = before; r < out.length; r++) {
        const f = out[r] as Finding;
        if (!seen.has(`${f.path ?? ""}\n${f.message}`)) out[w++] = f;
      }
      out.length = w;
    },
  };
}

export const pvcDataSourceRule: PodRule = claimRule(
  {
    code: PVC_DATA_SOURCE,
    summary:
      "a claim (PVC, ephemeral volume or StatefulSet claim template) copies another tenant's PVC, snapshot or populator data",
    spec: checkEphemeralDataSources,
  },
  checkClaimDataSource,
);

export const pvcVolumeRule: PodRule = claimRule(
  {
    code: PVC_VOLUME,
    summary: "a claim binds, by volumeName or selector, a PersistentVolume that belongs to another tenant",
    spec: checkEphemeralVolumes,
  },
  checkClaimVolume,
);

export const pvcStorageClassRule: PodRule = claimRule(
  {
    code: PVC_STORAGE_CLASS,
    summary:
      "a claim (PVC, ephemeral volume or StatefulSet claim template) names a storage class outside its tenant's storage.allowedClasses",
    spec: checkEphemeralStorageClasses,
  },
  checkClaimStorageClass,
);
