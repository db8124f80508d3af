// Discovery, as the API server answers it: GET /api/v1 and /apis/<group>/<version> list the
// resources of a group version (APIResourceList), GET /apis/<group> names its preferred version
// (APIGroup). Only what RESOURCES serves is discoverable; anything else is a 404.
import { RESOURCES } from "./resources.ts";

function resourceList(groupVersion: string): object | undefined {
  const defs = RESOURCES.filter((d) => d.apiVersion === groupVersion);
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

/** The discovery document at `path`, or undefined when `path` is not a discovery path we serve. */
export function discovery(path: string): object | undefined {
  if (path === "/api/v1") return resourceList("v1");
  const parts = path.split("/");
  if (parts[1] !== "apis" || parts.length < 3 || parts.length > 4) return undefined;
  const group = parts[2] ?? "";
  if (parts.length === 4) return resourceList(`${group}/${parts[3] ?? ""}`);
  const version = RESOURCES.find((d) => d.apiVersion.startsWith(`${group}/`))?.apiVersion;
  if (version === undefined) return undefined;
  const gv = { groupVersion: version, version: version.slice(group.length + 1) };
  return { kind: "APIGroup", apiVersion: "v1", name: group, versions: [gv], preferredVersion: gv };
}
