// One AdmissionReview fixture through the real server, and the rule codes a message lists: what
// every integration test of a rule asks of an answer.
import { expect } from "vitest";
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

/** The rule codes a text lists, in order: its "[TG-X] ..." entries. */
export function codesIn(text: string): string[] {
  return [...text.matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1] as string);
}
