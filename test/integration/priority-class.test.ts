// TG-POD-PRIORITY-CLASS through the real HTTPS server against examples/cluster.yaml: team-alpha's
// pods may name its default (team-alpha) and its allowedPriorityClasses (team-alpha-batch), not
// team-beta's class nor a system-* class; pods.globalPriorityClasses opens a class to everyone (the
// cluster's globalDefault class, which the Priority plugin writes into pods that name none).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Answer {
  response: { uid: string; allowed: boolean; status?: { code: number; message: string } };
}

let server: TestServer;
let global: TestServer;
beforeAll(async () => {
  [server, global] = await Promise.all([
    startTestServer(),
    startTestServer({ pods: { globalPriorityClasses: ["cluster-default"] } }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.close(), global?.close()]);
});

async function review(fixture: string, s = server): Promise<Answer["response"]> {
  const r = loadReview(fixture);
  const res = await s.review("/validate", r);
  expect(res.status).toBe(200);
  const body = res.json<Answer>();
  expect(body.response.uid).toBe(r.request.uid);
  return body.response;
}

const codesIn = (message: string): string[] =>
  [...message.matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1] ?? "");

describe("TG-POD-PRIORITY-CLASS", () => {
  it.each([
    [
      "pod/priority-class-denied",
      "(spec.priorityClassName)",
      'priority class "team-beta" of tenant "team-beta"',
    ],
    [
      "pod/priority-class-system-denied",
      "(spec.priorityClassName)",
      '"system-node-critical", which is reserved for cluster components',
    ],
    [
      "workloads/deployment-priority-class-denied",
      "(spec.template.spec.priorityClassName)",
      'priority class "team-beta" of tenant "team-beta"',
    ],
    [
      "pod/priority-class-global-default",
      "(spec.priorityClassName)",
      '"cluster-default", which tenant "team-alpha" may not use',
    ],
  ])("%s is denied at its field", async (fixture, path, detail) => {
    const r = await review(fixture);
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg)).toEqual(["TG-POD-PRIORITY-CLASS"]);
    expect(msg).toContain(path);
    expect(msg).toContain(detail);
    expect(msg).toContain('use one of "team-alpha", "team-alpha-batch", or leave priorityClassName empty');
  });

  it.each(["pod/priority-class-allowed", "workloads/deployment-priority-class-allowed", "pod-create"])(
    "%s (the tenant's default, its allowed class, or none) is allowed",
    async (fixture) => {
      const r = await review(fixture);
      expect(r.status?.message).toBeUndefined();
      expect(r.allowed).toBe(true);
    },
  );

  it("a class listed in pods.globalPriorityClasses is open to every tenant", async () => {
    const r = await review("pod/priority-class-global-default", global);
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
    expect((await review("pod/priority-class-denied", global)).allowed).toBe(false);
  });

  it("composes with mutation: the class /mutate sets is one validation allows", async () => {
    const bare = loadReview("mutation/pod-bare-create");
    const res = await server.review("/mutate", bare);
    const patch = JSON.parse(
      Buffer.from(res.json<{ response: { patch: string } }>().response.patch, "base64").toString(),
    ) as { op: string; path: string; value?: unknown }[];
    const set = patch.find((p) => p.path === "/spec/priorityClassName");
    expect(set?.value).toBe("team-alpha");
    const mutated = structuredClone(bare) as unknown as {
      request: { object: { spec: Record<string, unknown> } };
    };
    mutated.request.object.spec.priorityClassName = set?.value;
    delete mutated.request.object.spec.priority;
    const v = await server.review("/validate", mutated);
    expect(v.json<Answer>().response.allowed).toBe(true);
  });
});
