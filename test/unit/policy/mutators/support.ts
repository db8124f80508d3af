// Drives the real mutators through the real engine (decide("mutate")) over a small directory built
// with the real index, and applies the returned patch with fast-json-patch (tests only), so every
// case asserts on the pod the API server would store, and on a second pass over that pod.
import jsonpatch from "fast-json-patch";
import { decodeReview } from "../../../../src/admission/decode.ts";
import { buildConfig } from "../../../../src/policy/config.ts";
import { policySettings } from "../../../../src/policy/settings.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { mutatorRegistry, ruleRegistry } from "../../../../src/policy/catalogue.ts";
import { decide, type Decision } from "../../../../src/policy/engine.ts";
import { buildIndexFromObjects } from "../../../../src/tenancy/build.ts";
import type { TenantView } from "../../../../src/tenancy/view.ts";

export const LABEL = "tenant-guard.dev/tenant";

export function tenant(name: string, spec: JsonRecord): JsonRecord {
  return { apiVersion: "tenant-guard.dev/v1alpha1", kind: "Tenant", metadata: { name }, spec };
}

export function namespace(name: string, owner?: string): JsonRecord {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, labels: owner === undefined ? {} : { [LABEL]: owner } },
  };
}

/** A directory with one tenant "ml" (the given spec) owning namespace "ml", plus an unowned one. */
export function world(spec: JsonRecord): TenantView {
  return buildIndexFromObjects([tenant("ml", spec), namespace("ml", "ml"), namespace("shared")], LABEL);
}

const engine = {
  rules: ruleRegistry(),
  mutators: mutatorRegistry(),
  settings: policySettings(buildConfig(undefined)),
};

/** The review the API server would send for creating `pod` in `ns`. */
export function reviewOf(pod: JsonRecord, ns = "ml", operation = "CREATE"): JsonRecord {
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: "0f2b1e6c-6a43-4f0e-9a57-3f1a2b3c4d5e",
      kind: { group: "", version: "v1", kind: "Pod" },
      resource: { group: "", version: "v1", resource: "pods" },
      requestKind: { group: "", version: "v1", kind: "Pod" },
      requestResource: { group: "", version: "v1", resource: "pods" },
      namespace: ns,
      operation,
      userInfo: { username: "alice@example.com", groups: ["system:authenticated"] },
      object: pod,
      oldObject: operation === "UPDATE" ? pod : null,
      dryRun: false,
      options: { kind: "CreateOptions", apiVersion: "meta.k8s.io/v1" },
    },
  };
}

export function mutateDecision(view: TenantView, pod: JsonRecord, ns = "ml", operation = "CREATE"): Decision {
  const review = decodeReview(JSON.stringify(reviewOf(pod, ns, operation)));
  return decide("mutate", review.request, view, engine);
}

export interface Mutated {
  readonly patch: readonly { op: string; path: string; value?: unknown }[];
  readonly pod: JsonRecord;
  /** The patch a second admission of the mutated pod returns (must be empty). */
  readonly again: readonly unknown[];
}

/** Mutates, applies the patch to a copy (validating every op), and mutates the result again (must be empty). */
export function mutate(view: TenantView, pod: JsonRecord, ns = "ml"): Mutated {
  const d = mutateDecision(view, pod, ns);
  const copy = structuredClone(pod);
  const errors = jsonpatch.validate([...d.patch] as jsonpatch.Operation[], copy);
  if (errors !== undefined) throw new Error(`invalid patch ${JSON.stringify(d.patch)}: ${errors.message}`);
  const result = jsonpatch.applyPatch(copy, [...d.patch] as jsonpatch.Operation[], true, false).newDocument;
  const again = mutateDecision(view, result, ns).patch;
  // Every case is an idempotence case: re-admitting the mutated pod must add nothing.
  if (again.length > 0) throw new Error(`not idempotent: second pass returned ${JSON.stringify(again)}`);
  return { patch: d.patch, pod: result, again };
}

/** A pod as the API server sends it after its own defaulting, with the given containers. */
export function pod(spec: JsonRecord = {}, metadata: JsonRecord = {}): JsonRecord {
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: { name: "train-0", namespace: "ml", ...metadata },
    spec: {
      containers: [{ name: "main", image: "registry.example.com/ml/train:1.0" }],
      restartPolicy: "Always",
      serviceAccountName: "default",
      ...spec,
    },
  };
}
