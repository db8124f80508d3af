// TG-POD-HOST-NAMESPACE, TG-POD-HOSTPATH, TG-POD-PRIVILEGED: the multi-tenancy baseline. A pod that
// shares the node's network/PID/IPC namespace, mounts a node path or runs privileged can read or
// break every other tenant's pods on that node. Each is denied unless settings.pods allows it.
import { arr, own, rec, str, type JsonRecord } from "../../k8s/access.ts";
import type { Finding } from "../types.ts";
import { POD_HOST_NAMESPACE, POD_HOSTPATH, POD_PRIVILEGED } from "./codes.ts";
import { at, CONTAINER_LISTS, field } from "./paths.ts";
import { subject, type PodScope } from "./scope.ts";

const HOST_FIELDS = ["hostNetwork", "hostPID", "hostIPC"] as const;

export function checkHostNamespaces(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  if (scope.ctx.settings.pods.allowHostNamespaces) return;
  for (const f of HOST_FIELDS) {
    if (own(spec, f) !== true) continue;
    out.push({
      code: POD_HOST_NAMESPACE,
      message:
        `${subject(scope)} sets ${f}: true, sharing the node's namespace with every tenant's pods on it; ` +
        `remove it (an admin can allow it with pods.allowHostNamespaces)`,
      path: field(base, f),
    });
  }
}

export function checkHostPath(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  if (scope.ctx.settings.pods.allowHostPath) return;
  const volumes = arr(own(spec, "volumes"));
  for (let i = 0; i < volumes.length; i++) {
    const v = rec(volumes[i]);
    const hp = rec(own(v, "hostPath"));
    if (hp === undefined) continue;
    const nodePath = str(own(hp, "path")) ?? "?";
    out.push({
      code: POD_HOSTPATH,
      message:
        `${subject(scope)} mounts the node path "${nodePath}" (hostPath), which exposes the node and ` +
        `other tenants' data; use a PVC, emptyDir or configMap instead (an admin can allow it with pods.allowHostPath)`,
      path: `${at(field(base, "volumes"), i)}.hostPath`,
    });
  }
}

export function checkPrivileged(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  if (scope.ctx.settings.pods.allowPrivileged) return;
  for (const list of CONTAINER_LISTS) {
    const containers = arr(own(spec, list));
    for (let i = 0; i < containers.length; i++) {
      const c = rec(containers[i]);
      if (c !== undefined) checkContainerPrivileged(scope, c, () => at(field(base, list), i), out);
    }
  }
}

export function checkContainerPrivileged(
  scope: PodScope,
  c: JsonRecord,
  path: () => string,
  out: Finding[],
): void {
  if (scope.ctx.settings.pods.allowPrivileged) return;
  if (own(rec(own(c, "securityContext")), "privileged") !== true) return;
  const cname = str(own(c, "name"));
  const name = cname === undefined ? "" : ` "${cname}"`;
  out.push({
    code: POD_PRIVILEGED,
    message:
      `${subject(scope)} runs container${name} privileged, with full access to the node and every ` +
      `tenant's pods on it; remove securityContext.privileged (an admin can allow it with pods.allowPrivileged)`,
    path: `${path()}.securityContext.privileged`,
  });
}
