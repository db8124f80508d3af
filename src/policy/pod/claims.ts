// TG-PVC-DATA-SOURCE and TG-PVC-VOLUME over a pod spec: every generic ephemeral volume's
// volumeClaimTemplate.spec is a PersistentVolumeClaimSpec the ephemeral volume controller turns into
// a PVC in the pod's namespace, so it is judged like one (claim-spec.ts), at its own path.
import { arr, own, rec, type JsonRecord } from "../../k8s/access.ts";
import type { Finding } from "../types.ts";
import { checkClaimDataSource, checkClaimVolume } from "./claim-spec.ts";
import { checkClaimStorageClass } from "./storage-class.ts";
import { at, field } from "./paths.ts";
import type { PodScope } from "./scope.ts";

type ClaimCheck = (scope: PodScope, spec: JsonRecord, base: string, out: Finding[]) => void;

function eachEphemeralClaim(
  scope: PodScope,
  spec: JsonRecord,
  base: string,
  out: Finding[],
  check: ClaimCheck,
): void {
  const volumes = arr(own(spec, "volumes"));
  for (let i = 0; i < volumes.length; i++) {
    const tmpl = rec(own(rec(own(rec(volumes[i]), "ephemeral")), "volumeClaimTemplate"));
    const claim = rec(own(tmpl, "spec"));
    if (claim === undefined) continue;
    check(scope, claim, `${at(field(base, "volumes"), i)}.ephemeral.volumeClaimTemplate.spec`, out);
  }
}

export function checkEphemeralDataSources(
  scope: PodScope,
  spec: JsonRecord,
  base: string,
  out: Finding[],
): void {
  eachEphemeralClaim(scope, spec, base, out, checkClaimDataSource);
}

export function checkEphemeralVolumes(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  eachEphemeralClaim(scope, spec, base, out, checkClaimVolume);
}

export function checkEphemeralStorageClasses(
  scope: PodScope,
  spec: JsonRecord,
  base: string,
  out: Finding[],
): void {
  eachEphemeralClaim(scope, spec, base, out, checkClaimStorageClass);
}
