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
const SECRET_REF_SOURCES: ReadonlySet<string> = new Set([
  "cephfs",
  "cinder",
  "rbd",
  "iscsi",
  "flexVolume",
  "scaleIO",
  "storageos",
]);

export function checkReferences(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  const volumes = arr(own(spec, "volumes"));
  if (volumes.length > 0) {
    const prefix = field(base, "volumes");
    for (let i = 0; i < volumes.length; i++) checkVolume(scope, rec(volumes[i]), prefix, i, out);
  }
  const pulls = arr(own(spec, "imagePullSecrets"));
  for (let i = 0; i < pulls.length; i++) {
    const name = str(own(rec(pulls[i]), "name"));
    if (name !== undefined) ref(scope, "Secret", name, out, field(base, "imagePullSecrets"), i, ".name");
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
      ref(scope, "Secret", secret, out, `${path}.env`, j, ".valueFrom.secretKeyRef.name");
    const cm = str(own(rec(own(from, "configMapKeyRef")), "name"));
    if (cm !== undefined)
      ref(scope, "ConfigMap", cm, out, `${path}.env`, j, ".valueFrom.configMapKeyRef.name");
  }
  const envFrom = arr(own(c, "envFrom"));
  for (let j = 0; j < envFrom.length; j++) {
    const e = rec(envFrom[j]);
    const secret = str(own(rec(own(e, "secretRef")), "name"));
    if (secret !== undefined) ref(scope, "Secret", secret, out, `${path}.envFrom`, j, ".secretRef.name");
    const cm = str(own(rec(own(e, "configMapRef")), "name"));
    if (cm !== undefined) ref(scope, "ConfigMap", cm, out, `${path}.envFrom`, j, ".configMapRef.name");
  }
}

/** `prefix` is the path of the volumes list, `i` this volume's index. */
function checkVolume(
  scope: PodScope,
  v: JsonRecord | undefined,
  prefix: string,
  i: number,
  out: Finding[],
): void {
  if (v === undefined) return;
  // A volume has its name and one source: walk its own keys instead of probing every source.
  // (for-in: a parsed JSON object's keys are all own, and Object.prototype has no enumerable ones)
  for (const src in v) {
    const body = rec(v[src]);
    if (body === undefined) continue;
    switch (src) {
      case "secret": {
        const name = str(own(body, "secretName"));
        if (name !== undefined) ref(scope, "Secret", name, out, prefix, i, ".secret.secretName");
        break;
      }
      case "configMap": {
        const name = str(own(body, "name"));
        if (name !== undefined) ref(scope, "ConfigMap", name, out, prefix, i, ".configMap.name");
        break;
      }
      case "persistentVolumeClaim": {
        const name = str(own(body, "claimName"));
        if (name !== undefined)
          ref(scope, "PersistentVolumeClaim", name, out, prefix, i, ".persistentVolumeClaim.claimName");
        break;
      }
      case "projected":
        checkProjected(scope, body, prefix, i, out);
        break;
      case "csi": {
        const name = str(own(rec(own(body, "nodePublishSecretRef")), "name"));
        if (name !== undefined) ref(scope, "Secret", name, out, prefix, i, ".csi.nodePublishSecretRef.name");
        break;
      }
      case "azureFile": {
        const name = str(own(body, "secretName"));
        if (name !== undefined) ref(scope, "Secret", name, out, prefix, i, ".azureFile.secretName");
        break;
      }
      default:
        if (SECRET_REF_SOURCES.has(src)) {
          const name = str(own(rec(own(body, "secretRef")), "name"));
          if (name !== undefined) ref(scope, "Secret", name, out, prefix, i, `.${src}.secretRef.name`);
        }
    }
  }
}

function checkProjected(scope: PodScope, body: JsonRecord, prefix: string, i: number, out: Finding[]): void {
  const sources = arr(own(body, "sources"));
  for (let k = 0; k < sources.length; k++) {
    const s = rec(sources[k]);
    const ps = str(own(rec(own(s, "secret")), "name"));
    if (ps !== undefined) ref(scope, "Secret", ps, out, prefix, i, `.projected.sources[${k}].secret.name`);
    const pc = str(own(rec(own(s, "configMap")), "name"));
    if (pc !== undefined)
      ref(scope, "ConfigMap", pc, out, prefix, i, `.projected.sources[${k}].configMap.name`);
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

// The finding's path is `${prefix}[${index}]${suffix}`, put together only when the reference
// crosses: the allow path allocates no path string and no closure per reference.
function ref(
  scope: PodScope,
  kind: CachedKind,
  name: string,
  out: Finding[],
  prefix: string,
  index: number,
  suffix: string,
): void {
  const owner = foreign(scope, kind, name);
  if (owner === undefined) return;
  out.push({
    code: POD_REFERENCE,
    message:
      `${subject(scope)} references ${KIND_WORDS[kind]} "${name}", which belongs to tenant "${owner}", ` +
      `but the namespace belongs to ${ownTenant(scope)}; use your own tenant's ${KIND_WORDS[kind]} ` +
      `(or ask "${owner}" to list your tenant in sharedWith)`,
    path: `${at(prefix, index)}${suffix}`,
    victim: owner,
  });
}
