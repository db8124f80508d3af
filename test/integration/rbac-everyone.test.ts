// "Everyone" subjects (groups system:authenticated, system:unauthenticated, system:serviceaccounts;
// user system:anonymous) are judged alike in RoleBindings and ClusterRoleBindings: through the real
// HTTPS server against examples/cluster.yaml, each denied fixture next to its allowed twin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codesIn, reviewFixture, type ReviewResponse } from "../support/review.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
let warnServer: TestServer;
beforeAll(async () => {
  [server, warnServer] = await Promise.all([
    startTestServer(),
    startTestServer({ rbac: { clusterRoleBindings: "warn" } }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.close(), warnServer?.close()]);
});

const validate = (fixture: string, s = server): Promise<ReviewResponse> =>
  reviewFixture(s, `isolation/${fixture}`);

describe("everyone subjects", () => {
  it.each([
    [
      "rolebinding-anonymous",
      "TG-RBAC-ROLEBINDING-SUBJECT",
      'binds User "system:anonymous", which includes every other tenant',
    ],
    [
      "clusterrolebinding-everyone",
      "TG-RBAC-CLUSTERROLEBINDING",
      'to Group "system:serviceaccounts", which includes every tenant\'s identities',
    ],
  ])("%s is denied with %s", async (fixture, code, detail) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg)).toEqual([code]);
    expect(msg).toContain(detail);
    expect(msg).toContain("(subjects[0])");
  });

  it.each([
    "rolebinding-anonymous-twin",
    "clusterrolebinding-everyone-twin",
    "clusterrolebinding-bootstrap-default",
  ])("%s (binding named subjects, or the API server's own bootstrap binding) is allowed", async (fixture) => {
    const r = await validate(fixture);
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
  });

  it("rbac.clusterRoleBindings: warn lets the everyone grant through with a warning", async () => {
    const r = await validate("clusterrolebinding-everyone", warnServer);
    expect(r.allowed).toBe(true);
    expect(r.warnings?.join("\n")).toContain("[TG-RBAC-CLUSTERROLEBINDING]");
  });
});
