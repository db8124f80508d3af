// Shared wording, so every finding names the object and the tenants the same way.
import type { AdmissionRequest } from "../admission/types.ts";
import { nameOf } from "../k8s/access.ts";

/** Kubernetes names are at most 253 characters; a longer one only comes from a hostile caller. */
const NAME_MAX = 253;

export function objectName(req: AdmissionRequest): string {
  const name = req.name || nameOf(req.object) || "(generated name)";
  // Every finding names the object: an unbounded name would be copied into each of them.
  return name.length <= NAME_MAX ? name : `${name.slice(0, NAME_MAX)}…(${name.length} chars)`;
}

/** `pod "web-1" in namespace "alpha-train"` */
export function objectRef(req: AdmissionRequest): string {
  const kind = req.kind.kind.toLowerCase();
  const ns = req.namespace ? ` in namespace "${req.namespace}"` : "";
  return `${kind} "${objectName(req)}"${ns}`;
}

export function tenantRef(t: string | undefined): string {
  return t === undefined ? "no tenant" : `tenant "${t}"`;
}

/** JSON path-like field reference for a label: metadata.labels["tenant-guard.dev/tenant"] */
export function labelPath(key: string): string {
  return `metadata.labels["${key}"]`;
}
