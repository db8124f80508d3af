// The kinds deploy/base now sends beyond pods and workloads, through the real HTTPS server: another
// tenant's identity writing a Service or a pod's status in team-alpha is denied by the requester
// rule, and the same write by team-alpha (or the kubelet) is allowed. Each fixture is also checked
// against the webhook configuration, so the denial is one a real API server would ask for.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEPLOY, build, findObject } from "../deploy/support/kustomize.ts";
import { CLUSTER_SCOPED, webhooksOf, webhooksSending } from "../deploy/support/webhook-rules.ts";
import { loadReview, type ReviewJson } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Response {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string };
}

const hooksOf = (dir: string) =>
  webhooksOf(findObject(build(join(DEPLOY, dir)), "ValidatingWebhookConfiguration", "tenant-guard"));
const BASE = hooksOf("base");
const ALL = hooksOf("overlays/all-resources");

function sentBy(review: ReviewJson, hooks: typeof BASE): string[] {
  const r = review.request as unknown as {
    resource: { group: string; resource: string };
    subResource?: string;
    operation: string;
  };
  return webhooksSending(hooks, {
    group: r.resource.group,
    resource: r.resource.resource,
    subresource: r.subResource ?? "",
    operation: r.operation,
    namespaced: !CLUSTER_SCOPED.has(r.resource.resource),
  });
}

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

async function validate(name: string): Promise<Response> {
  const review = loadReview(`routes/${name}`);
  const res = await srv.review("/validate", review);
  expect(res.status).toBe(200);
  const out = res.json<{ response: Response }>().response;
  expect(out.uid).toBe(review.request.uid);
  return out;
}

describe("writes deploy/base sends beyond pods and workloads", () => {
  it.each([
    ["service-create-cross-tenant", "service-create"],
    ["pod-status-update-cross-tenant", "pod-status-update-kubelet"],
  ])("%s is denied by TG-REQUESTER-CROSS-TENANT; %s is allowed", async (denied, allowed) => {
    // Its rules match both; the requester webhook's matchConditions then skip a kubelet's write
    // (test/deploy/webhooks.test.ts), which is allowed here all the same.
    for (const f of [denied, allowed])
      expect(sentBy(loadReview(`routes/${f}`), BASE), f).toEqual(["requester.validate.tenant-guard.dev"]);
    const no = await validate(denied);
    expect(no.allowed).toBe(false);
    expect(no.status?.code).toBe(403);
    expect(no.status?.message).toContain("[TG-REQUESTER-CROSS-TENANT]");
    expect(no.status?.message).toContain('"bob@example.com" acts for tenant "team-beta"');
    expect(no.status?.message).toContain('in namespace "team-alpha"');
    const yes = await validate(allowed);
    expect(yes).toEqual({ uid: yes.uid, allowed: true });
  });

  it("a config map update by its own tenant is sent and allowed", async () => {
    expect(sentBy(loadReview("routes/configmap-update"), BASE)).toEqual(["validate.tenant-guard.dev"]);
    expect((await validate("configmap-update")).allowed).toBe(true);
  });

  it("a kubelet's event is sent only with deploy/components/all-resources, and allowed", async () => {
    const review = loadReview("routes/event-create-kubelet");
    expect(sentBy(review, BASE)).toEqual([]);
    expect(sentBy(review, ALL)).toEqual(["validate.tenant-guard.dev"]);
    expect((await validate("event-create-kubelet")).allowed).toBe(true);
  });
});
