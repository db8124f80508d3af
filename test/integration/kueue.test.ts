// Kueue through the real HTTPS server, against test/fixtures/kueue/world.yaml: team-ml's spec.queue
// is "ml-queue"; the objects are the real shapes of test/fixtures/kueue/objects.yaml, each sent as
// the API server sends it (userInfo, dryRun, oldObject on UPDATE). Every denial has an allowed twin.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import jsonpatch from "fast-json-patch";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { patchOf } from "../support/fixtures.ts";
import type { ReviewResponse } from "../support/review.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const FIXTURES = join(import.meta.dirname, "..", "fixtures", "kueue");
const OBJECTS: JsonRecord[] = parseAllDocuments(readFileSync(join(FIXTURES, "objects.yaml"), "utf8"))
  .map((d) => d.toJS() as JsonRecord)
  .filter((o) => o !== null);

/** A fresh copy of the fixture object of that kind and name. */
function object(kind: string, name: string): JsonRecord {
  const o = OBJECTS.find((x) => x.kind === kind && (x.metadata as JsonRecord).name === name);
  if (o === undefined) throw new Error(`no ${kind} ${name} in objects.yaml`);
  return structuredClone(o);
}

const TEAM_ML_USER = { username: "alice@example.com", groups: ["team-ml-devs", "system:authenticated"] };
const TEAM_OTHER_USER = { username: "bob@example.com", groups: ["team-other-devs", "system:authenticated"] };

interface Send {
  operation?: "CREATE" | "UPDATE" | "DELETE";
  user?: { username: string; groups: string[] };
  oldObject?: JsonRecord;
  dryRun?: boolean;
}

/** The AdmissionReview the API server sends for a write of `obj`. */
function reviewOf(obj: JsonRecord, send: Send = {}): JsonRecord {
  const [group, version] = String(obj.apiVersion).includes("/")
    ? String(obj.apiVersion).split("/")
    : ["", String(obj.apiVersion)];
  const kind = { group, version, kind: String(obj.kind) };
  const resource = { group, version, resource: `${String(obj.kind).toLowerCase()}s` };
  const md = obj.metadata as JsonRecord;
  const operation = send.operation ?? "CREATE";
  const user = send.user ?? TEAM_ML_USER;
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
      userInfo: { username: user.username, uid: randomUUID(), groups: user.groups },
      object: operation === "DELETE" ? null : obj,
      oldObject: send.oldObject ?? null,
      dryRun: send.dryRun ?? false,
      options:
        operation === "CREATE"
          ? { kind: "CreateOptions", apiVersion: "meta.k8s.io/v1" }
          : operation === "UPDATE"
            ? { kind: "UpdateOptions", apiVersion: "meta.k8s.io/v1" }
            : { kind: "DeleteOptions", apiVersion: "meta.k8s.io/v1" },
    },
  };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    directory: { source: "file:test/fixtures/kueue/world.yaml" },
    kueue: { requireQueueFor: { resources: ["nvidia.com/gpu"] } },
  });
});
afterAll(async () => {
  await server?.close();
});

async function post(path: "/validate" | "/mutate", review: JsonRecord): Promise<ReviewResponse> {
  const res = await server.review(path, review);
  expect(res.status).toBe(200);
  const out = res.json<{ response: ReviewResponse }>().response;
  expect(out.uid).toBe((review.request as JsonRecord).uid);
  return out;
}

/** POST /mutate, apply the patch as the API server does; the object after mutation and the ops. */
async function mutate(
  obj: JsonRecord,
  send: Send = {},
): Promise<{ next: JsonRecord; ops: jsonpatch.Operation[] }> {
  const r = await post("/mutate", reviewOf(obj, send));
  expect(r.allowed).toBe(true);
  const ops = patchOf(r) as jsonpatch.Operation[];
  const next = jsonpatch.applyPatch(structuredClone(obj), ops, true, false).newDocument as JsonRecord;
  return { next, ops };
}

const labelsOf = (o: JsonRecord): JsonRecord => ((o.metadata as JsonRecord).labels ?? {}) as JsonRecord;
const QUEUE = "kueue.x-k8s.io/queue-name";

describe("spec.queue: /mutate names the tenant's LocalQueue on jobs and pods that name none", () => {
  it.each([
    ["Job", "sample-job"],
    ["PyTorchJob", "pytorch-simple"],
    ["JobSet", "sleep-jobset"],
    ["Pod", "notebook"],
  ])("%s %s gets queue-name ml-queue, once (a second pass patches nothing)", async (kind, name) => {
    const obj = object(kind, name);
    const { next, ops } = await mutate(obj);
    expect(labelsOf(next)[QUEUE]).toBe("ml-queue");
    expect(ops.filter((o) => o.path.includes("queue-name") || o.path === "/metadata/labels")).toHaveLength(1);
    // The other labels the author wrote are still there.
    for (const [k, v] of Object.entries(labelsOf(obj))) expect(labelsOf(next)[k]).toBe(v);
    const again = await mutate(next);
    expect(again.ops.filter((o) => o.path.includes("queue-name"))).toEqual([]);
  });

  it("a job without any labels gets the whole map, one op", async () => {
    const { ops } = await mutate(object("JobSet", "sleep-jobset"));
    expect(ops).toEqual([{ op: "add", path: "/metadata/labels", value: { [QUEUE]: "ml-queue" } }]);
  });

  it("never overrides a queue the object names (RayCluster in spot-queue, or an explicit empty name)", async () => {
    const ray = await mutate(object("RayCluster", "raycluster-kuberay"));
    expect(ray.ops).toEqual([]);
    expect(labelsOf(ray.next)[QUEUE]).toBe("spot-queue");
    const job = object("Job", "sample-job");
    (job.metadata as JsonRecord).labels = { [QUEUE]: "" };
    expect((await mutate(job)).ops).toEqual([]);
  });

  it("a tenant without spec.queue gets no queue-name", async () => {
    const { ops } = await mutate(object("Job", "cpu-job"), { user: TEAM_OTHER_USER });
    expect(ops).toEqual([]);
    const pod = await mutate(object("Pod", "gpu-pod"), { user: TEAM_OTHER_USER });
    expect(pod.ops.some((o) => JSON.stringify(o).includes("queue-name"))).toBe(false);
  });
});
