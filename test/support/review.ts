// One AdmissionReview fixture through the real server, and the rule codes a message lists: what
// every integration test of a rule asks of an answer.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { loadReview, type ReviewJson } from "./fixtures.ts";
import type { TestServer } from "./server.ts";

export interface ReviewResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; reason?: string; message: string };
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
  patch?: string;
  patchType?: string;
}

/** POSTs test/fixtures/admission/<fixture>.json; the answer must be a 200 for the request's uid. */
export async function reviewFixture(
  server: TestServer,
  fixture: string,
  path: "/validate" | "/mutate" = "/validate",
): Promise<ReviewResponse> {
  return reviewObject(server, loadReview(fixture), path);
}

/** POSTs a review built in the test; the answer must be a 200 for the request's uid. */
export async function reviewObject(
  server: TestServer,
  review: ReviewJson,
  path: "/validate" | "/mutate" = "/validate",
): Promise<ReviewResponse> {
  const res = await server.review(path, review);
  expect(res.status).toBe(200);
  const out = res.json<{ response: ReviewResponse }>().response;
  expect(out.uid).toBe(review.request.uid);
  return out;
}

export interface Write {
  readonly user: { readonly username: string; readonly groups: readonly string[] };
  readonly operation?: "CREATE" | "UPDATE" | "DELETE";
  /** What the API server sends as oldObject on UPDATE and DELETE. */
  readonly oldObject?: JsonRecord;
  readonly dryRun?: boolean;
}

/** The AdmissionReview the API server sends for a write of `obj`: group, version and resource from
 * its apiVersion and kind, a namespace only for a namespaced object, no object on DELETE. */
export function writeReview(obj: JsonRecord, w: Write): JsonRecord {
  const [group, version] = String(obj.apiVersion).includes("/")
    ? String(obj.apiVersion).split("/")
    : ["", String(obj.apiVersion)];
  const kind = { group, version, kind: String(obj.kind) };
  const singular = String(obj.kind).toLowerCase();
  const resource = { group, version, resource: singular.endsWith("s") ? `${singular}es` : `${singular}s` };
  const md = obj.metadata as JsonRecord;
  const operation = w.operation ?? "CREATE";
  return {
    apiVersion: "admission.k8s.io/v1",
    kind: "AdmissionReview",
    request: {
      uid: randomUUID(),
      kind,
      resource,
      requestKind: kind,
      requestResource: resource,
      name: md.name,
      ...(md.namespace === undefined ? {} : { namespace: md.namespace }),
      operation,
      userInfo: { username: w.user.username, uid: randomUUID(), groups: w.user.groups },
      object: operation === "DELETE" ? null : obj,
      oldObject: w.oldObject ?? null,
      dryRun: w.dryRun ?? false,
      options:
        operation === "CREATE"
          ? { kind: "CreateOptions", apiVersion: "meta.k8s.io/v1" }
          : operation === "UPDATE"
            ? { kind: "UpdateOptions", apiVersion: "meta.k8s.io/v1" }
            : { kind: "DeleteOptions", apiVersion: "meta.k8s.io/v1" },
    },
  };
}

/** The rule codes a text lists, in order: its "[TG-X] ..." entries. */
export function codesIn(text: string): string[] {
  return [...text.matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1] as string);
}
