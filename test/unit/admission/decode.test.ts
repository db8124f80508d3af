import { describe, expect, it } from "vitest";
import { decodeReview } from "../../../src/admission/decode.ts";
import { TenantGuardError } from "../../../src/errors.ts";
import { loadReview } from "../../support/fixtures.ts";

function codeOf(body: string): string {
  try {
    decodeReview(Buffer.from(body));
  } catch (e) {
    expect(e).toBeInstanceOf(TenantGuardError);
    return (e as TenantGuardError).code;
  }
  return "decoded";
}

describe("decodeReview", () => {
  it("decodes the real-shaped pod CREATE fixture", () => {
    const review = decodeReview(Buffer.from(JSON.stringify(loadReview("pod-create"))));
    expect(review.apiVersion).toBe("admission.k8s.io/v1");
    const r = review.request;
    expect(r.uid).toBe("705ab4f5-6393-11e8-b7cc-42010a800002");
    expect(r.kind).toEqual({ group: "", version: "v1", kind: "Pod" });
    expect(r.resource.resource).toBe("pods");
    expect(r.namespace).toBe("team-alpha");
    expect(r.name).toBe("");
    expect(r.subResource).toBe("");
    expect(r.operation).toBe("CREATE");
    expect(r.userInfo.username).toBe("system:serviceaccount:kube-system:replicaset-controller");
    expect(r.oldObject).toBeUndefined();
    expect(r.dryRun).toBe(false);
  });

  it("keeps the subresource of a token request", () => {
    const r = decodeReview(JSON.stringify(loadReview("tokenrequest-create"))).request;
    expect(r.subResource).toBe("token");
    expect(r.kind.kind).toBe("TokenRequest");
  });

  it("accepts v1beta1 and reports it so the answer can echo it", () => {
    const body = loadReview("pod-create");
    body.apiVersion = "admission.k8s.io/v1beta1";
    expect(decodeReview(JSON.stringify(body)).apiVersion).toBe("admission.k8s.io/v1beta1");
  });

  const valid = (): Record<string, unknown> =>
    loadReview("secret-create") as unknown as Record<string, unknown>;
  const mutate = (f: (r: Record<string, unknown>) => void): string => {
    const b = valid();
    f(b);
    return JSON.stringify(b);
  };
  const req = (b: Record<string, unknown>): Record<string, unknown> => b.request as Record<string, unknown>;

  it.each([
    ["empty body", "", "TG_EMPTY_BODY"],
    ["not JSON", "{nope", "TG_INVALID_JSON"],
    ["a JSON array", "[]", "TG_NOT_ADMISSION_REVIEW"],
    ["a JSON string", '"AdmissionReview"', "TG_NOT_ADMISSION_REVIEW"],
    ["another kind", mutate((b) => (b.kind = "Pod")), "TG_NOT_ADMISSION_REVIEW"],
    ["unknown apiVersion", mutate((b) => (b.apiVersion = "admission.k8s.io/v2")), "TG_UNSUPPORTED_VERSION"],
    ["no request", mutate((b) => delete b.request), "TG_NOT_ADMISSION_REVIEW"],
    ["no uid", mutate((b) => delete req(b).uid), "TG_MISSING_UID"],
    ["empty uid", mutate((b) => (req(b).uid = "")), "TG_MISSING_UID"],
    ["numeric uid", mutate((b) => (req(b).uid = 42)), "TG_MISSING_UID"],
    ["bad operation", mutate((b) => (req(b).operation = "PATCH")), "TG_INVALID_REQUEST"],
    ["kind not an object", mutate((b) => (req(b).kind = "Secret")), "TG_INVALID_REQUEST"],
    ["resource missing", mutate((b) => delete req(b).resource), "TG_INVALID_REQUEST"],
    ["namespace a number", mutate((b) => (req(b).namespace = 7)), "TG_INVALID_REQUEST"],
    ["object an array", mutate((b) => (req(b).object = [])), "TG_INVALID_REQUEST"],
    [
      "labels not a map",
      mutate((b) => ((req(b).object as Record<string, Record<string, unknown>>).metadata!.labels = ["a"])),
      "TG_INVALID_REQUEST",
    ],
    [
      "label value not a string",
      mutate((b) => ((req(b).object as Record<string, Record<string, unknown>>).metadata!.labels = { a: 1 })),
      "TG_INVALID_REQUEST",
    ],
    [
      "groups not strings",
      mutate((b) => (req(b).userInfo = { username: "x", groups: [1] })),
      "TG_INVALID_REQUEST",
    ],
    ["dryRun a string", mutate((b) => (req(b).dryRun = "true")), "TG_INVALID_REQUEST"],
  ])("refuses %s with %s", (_name, body, code) => {
    expect(codeOf(body)).toBe(code);
  });

  it("does not resolve prototype members from hostile keys", () => {
    const body = mutate((b) => {
      const o = req(b).object as Record<string, Record<string, unknown>>;
      o.metadata!.labels = JSON.parse('{"__proto__": "x", "constructor": "y"}');
    });
    const r = decodeReview(body).request;
    const labels = r.object?.metadata as Record<string, Record<string, string>>;
    expect(Object.keys(labels.labels!)).toEqual(["__proto__", "constructor"]);
  });
});
