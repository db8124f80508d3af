// Response -> body. The apiVersion is echoed: a v1beta1 review is answered in v1beta1, never in v1.
import type { AdmissionApiVersion, AdmissionResponse } from "./types.ts";

export function encodeReview(apiVersion: AdmissionApiVersion, response: AdmissionResponse): string {
  return JSON.stringify({ apiVersion, kind: "AdmissionReview", response });
}
