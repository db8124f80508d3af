// Which namespace a request acts in. For namespaced objects that is request.namespace. A Namespace
// is cluster-scoped, yet writing it (or its status / finalize subresources) acts on the namespace it
// names: API servers since 1.20 send its name in request.namespace, older ones only in request.name
// (or, for a POST, only in the object).
import type { AdmissionRequest } from "../../admission/types.ts";
import { nameOf } from "../../k8s/access.ts";

export function isNamespaceResource(req: AdmissionRequest): boolean {
  return req.resource.group === "" && req.resource.resource === "namespaces";
}

/** The namespace the request acts in, or "" for other cluster-scoped requests. */
export function targetNamespace(req: AdmissionRequest): string {
  if (req.namespace !== "") return req.namespace;
  if (!isNamespaceResource(req)) return "";
  return req.name || nameOf(req.object) || nameOf(req.oldObject) || "";
}
