// TG-POD-REFERENCE: every secret, config map and PVC a pod mounts, reads into its environment or
// pulls images with must not belong to another tenant (its own tenant label names another tenant),
// unless that tenant shares with the pod's tenant. Covers volumes (incl. projected sources and the
// secretRef of CSI and in-tree drivers), env valueFrom, envFrom and imagePullSecrets, in init,
// app and ephemeral containers.
import { arr, own, rec, str, type JsonRecord } from "../../k8s/access.ts";
import type { CachedKind } from "../../tenancy/view.ts";
import type { Finding } from "../types.ts";
import { POD_REFERENCE } from "./codes.ts";
import { at, CONTAINER_LISTS, field } from "./paths.ts";
import { crosses, ownTenant, subject, type PodScope } from "./scope.ts";

/** In-tree volume sources whose credentials come from a `secretRef: {name}`. */
const SECRET_REF_SOURCES = ["cephfs", "rbd", "iscsi", "flexVolume", "scaleIO", "storageos"] as const;

export function checkReferences(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  const volumes = arr(own(spec, "volumes"));
  for (let i = 0; i < volumes.length; i++) checkVolume(scope, rec(volumes[i]), base, i, out);
  const pulls = arr(own(spec, "imagePullSecrets"));
  for (let i = 0; i < pulls.length; i++) {
    const name = str(own(rec(pulls[i]), "name"));
    if (name !== undefined)
      ref(scope, "Secret", name, () => field(at(field(base, "imagePullSecrets"), i), "name"), out);
  }
  for (const list of CONTAINER_LISTS) {
    const containers = arr(own(spec, list));
    for (let i = 0; i < containers.length; i++) {
      const c = rec(containers[i]);
      if (c !== undefined) checkContainerReferences(scope, c, at(field(base, list), i), out);
    }
  }
}

export function checkContainerReferences(scope: PodScope, c: JsonRecord, path: string, out: Finding[]): void {
  const env = arr(own(c, "env"));
  for (let j = 0; j < env.length; j++) {
    const from = rec(own(rec(env[j]), "valueFrom"));
    if (from === undefined) continue;
    const secret = str(own(rec(own(from, "secretKeyRef")), "name"));
    if (secret !== undefined)
      ref(scope, "Secret", secret, () => `${path}.env[${j}].valueFrom.secretKeyRef.name`, out);
    const cm = str(own(rec(own(from, "configMapKeyRef")), "name"));
    if (cm !== undefined)
      ref(scope, "ConfigMap", cm, () => `${path}.env[${j}].valueFrom.configMapKeyRef.name`, out);
  }
  const envFrom = arr(own(c, "envFrom"));
  for (let j = 0; j < envFrom.length; j++) {
    const e = rec(envFrom[j]);
    const secret = str(own(rec(own(e, "secretRef")), "name"));
    if (secret !== undefined) ref(scope, "Secret", secret, () => `${path}.envFrom[${j}].secretRef.name`, out);
    const cm = str(own(rec(own(e, "configMapRef")), "name"));
    if (cm !== undefined) ref(scope, "ConfigMap", cm, () => `${path}.envFrom[${j}].configMapRef.name`, out);
  }
}

function checkVolume(
  scope: PodScope,
  v: JsonRecord | undefined,
  base: string,
  i: number,
  out: Finding[],
): void {
  if (v === undefined) return;
  const p = (rest: string): string => `${at(field(base, "volumes"), i)}.${rest}`;
  const secret = str(own(rec(own(v, "secret")), "secretName"));
  if (secret !== undefined) ref(scope, "Secret", secret, () => p("secret.secretName"), out);
  const cm = str(own(rec(own(v, "configMap")), "name"));
  if (cm !== undefined) ref(scope, "ConfigMap", cm, () => p("configMap.name"), out);
  const claim = str(own(rec(own(v, "persistentVolumeClaim")), "claimName"));
  if (claim !== undefined)
    ref(scope, "PersistentVolumeClaim", claim, () => p("persistentVolumeClaim.claimName"), out);
  const sources = arr(own(rec(own(v, "projected")), "sources"));
  for (let k = 0; k < sources.length; k++) {
    const s = rec(sources[k]);
    const ps = str(own(rec(own(s, "secret")), "name"));
    if (ps !== undefined) ref(scope, "Secret", ps, () => p(`projected.sources[${k}].secret.name`), out);
    const pc = str(own(rec(own(s, "configMap")), "name"));
    if (pc !== undefined) ref(scope, "ConfigMap", pc, () => p(`projected.sources[${k}].configMap.name`), out);
  }
  const csi = str(own(rec(own(rec(own(v, "csi")), "nodePublishSecretRef")), "name"));
  if (csi !== undefined) ref(scope, "Secret", csi, () => p("csi.nodePublishSecretRef.name"), out);
  const azure = str(own(rec(own(v, "azureFile")), "secretName"));
  if (azure !== undefined) ref(scope, "Secret", azure, () => p("azureFile.secretName"), out);
  for (const src of SECRET_REF_SOURCES) {
    const name = str(own(rec(own(rec(own(v, src)), "secretRef")), "name"));
    if (name !== undefined) ref(scope, "Secret", name, () => p(`${src}.secretRef.name`), out);
  }
}

const KIND_WORDS: Readonly<Record<CachedKind, string>> = {
  Secret: "secret",
  ConfigMap: "config map",
  PersistentVolumeClaim: "persistent volume claim",
  ServiceAccount: "service account",
};

/** The other tenant owning the object, when the reference crosses the boundary. */
function foreign(scope: PodScope, kind: CachedKind, name: string): string | undefined {
  const owner = scope.ctx.view.ownerOfObject(kind, scope.namespace, name);
  return crosses(scope, owner) ? owner : undefined;
}

// The path is built by the caller's closure only when the reference crosses: the allow path
// allocates nothing but the closure.
function ref(scope: PodScope, kind: CachedKind, name: string, path: () => string, out: Finding[]): void {
  const owner = foreign(scope, kind, name);
  if (owner === undefined) return;
  out.push({
    code: POD_REFERENCE,
    message:
      `${subject(scope)} references ${KIND_WORDS[kind]} "${name}", which belongs to tenant "${owner}", ` +
      `but the namespace belongs to ${ownTenant(scope)}; use your own tenant's ${KIND_WORDS[kind]} ` +
      `(or ask "${owner}" to list your tenant in sharedWith)`,
    path: path(),
  });
}
