// A review through /validate of the real server, checked the way every integration test needs
// (HTTP 200, the request's uid echoed), returning the AdmissionReview's response.
import { expect } from "vitest";
import type { ReviewJson } from "./fixtures.ts";
import type { TestServer } from "./server.ts";

export interface ValidateResponse {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string };
  warnings?: string[];
}

export async function validateResponse(server: TestServer, r: ReviewJson): Promise<ValidateResponse> {
  const res = await server.review("/validate", r);
  expect(res.status).toBe(200);
  const body = res.json<{ response: ValidateResponse }>();
  expect(body.response.uid).toBe(r.request.uid);
  return body.response;
}
