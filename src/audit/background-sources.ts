// What the background audit lists: everything `audit --cluster` scans, plus the ML custom resources
// tenant-guard knows (workloads.builtinCustomResources), at the API version each project serves.
// A CRD that is not installed answers 404 and is skipped quietly.
import { CUSTOM_RESOURCES } from "../policy/workloads/known-kinds.ts";
import { SOURCES, type Source } from "./cluster-scan.ts";

/** The served version per group; a kind of a group not listed here is not listed (say so in docs). */
const CUSTOM_RESOURCE_VERSIONS: Readonly<Record<string, string>> = {
  "kubeflow.org": "v1",
  "trainer.kubeflow.org": "v1alpha1",
  "ray.io": "v1",
  "serving.kserve.io": "v1beta1",
  "jobset.x-k8s.io": "v1alpha2",
  "argoproj.io": "v1alpha1",
};

/** Kinds served at another version than the rest of their group. */
const RESOURCE_VERSIONS: Readonly<Record<string, string>> = {
  "serving.kserve.io/llminferenceservices": "v1alpha1",
  "serving.kserve.io/llminferenceserviceconfigs": "v1alpha1",
};

/** A collection the background audit lists (`optional`: 404 is "CRD not installed", not a failure). */
export type BackgroundSource = Source;

export function backgroundSources(builtinCustomResources: boolean): BackgroundSource[] {
  const crs: BackgroundSource[] = builtinCustomResources
    ? CUSTOM_RESOURCES.flatMap((k) => {
        const version = RESOURCE_VERSIONS[`${k.group}/${k.resource}`] ?? CUSTOM_RESOURCE_VERSIONS[k.group];
        if (version === undefined) return [];
        const apiVersion = `${k.group}/${version}`;
        return [{ path: `/apis/${apiVersion}/${k.resource}`, apiVersion, kind: k.kind, optional: true }];
      })
    : [];
  const base = SOURCES.map((s) => (s.kind === "Tenant" ? { ...s, optional: true } : s));
  return [...base, ...crs];
}
