// Discovery, as the API server answers it: GET /api/v1 and /apis/<group>/<version> list the
// resources of a group version (APIResourceList), GET /apis/<group> names its preferred version
// (APIGroup). Only what RESOURCES serves, less the server's unserved plurals, is discoverable;
// anything else is a 404.
import { RESOURCES, type ResourceDef } from "./resources.ts";

function resourceList(groupVersion: string, served: readonly ResourceDef[]): object | undefined {
  const defs = served.filter((d) => d.apiVersion === groupVersion);
  if (defs.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion,
    resources: defs.map((d) => ({
      name: d.plural,
      singularName: "",
      namespaced: d.namespaced,
      kind: d.kind,
      verbs: ["get", "list", "watch", "create", "update", "patch", "delete"],
    })),
  };
}

/** The discovery document at `path`, or undefined when `path` is not a discovery path we serve.
 * `unserved`: plurals left out (their CRDs not installed). */
export function discovery(path: string, unserved: ReadonlySet<string> = new Set()): object | undefined {
  const served = RESOURCES.filter((d) => !unserved.has(d.plural));
  if (path === "/api/v1") return resourceList("v1", served);
  const parts = path.split("/");
  if (parts[1] !== "apis" || parts.length < 3 || parts.length > 4) return undefined;
  const group = parts[2] ?? "";
  if (parts.length === 4) return resourceList(`${group}/${parts[3] ?? ""}`, served);
  const version = served.find((d) => d.apiVersion.startsWith(`${group}/`))?.apiVersion;
  if (version === undefined) return undefined;
  const gv = { groupVersion: version, version: version.slice(group.length + 1) };
  return { kind: "APIGroup", apiVersion: "v1", name: group, versions: [gv], preferredVersion: gv };
}
