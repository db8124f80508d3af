// coordination.k8s.io/v1 Leases as the API server serves them for leader election: GET one, POST
// (409 AlreadyExists when the name is taken), PUT with metadata.resourceVersion (409 Conflict when
// the Lease moved on; a PUT without one is refused with 422, as for an update). Each write bumps
// the resourceVersion. Tests read `leases` to see who holds what.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { JsonRecord } from "../../../src/k8s/access.ts";
import { status } from "./accept.ts";
import { send } from "./list.ts";

const ITEM = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/]+))?$/;

export class FakeLeases {
  readonly leases = new Map<string, JsonRecord>();
  /** Writes answered so far (creates and updates, conflicts included). */
  writes = 0;
  private rv = 1000;

  spec(namespace: string, name: string): JsonRecord | undefined {
    return this.leases.get(`${namespace}/${name}`)?.spec as JsonRecord | undefined;
  }

  /** Handles a Lease path; undefined for any other path. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<number | undefined> {
    const m = ITEM.exec(path);
    if (m === null) return undefined;
    const ns = decodeURIComponent(m[1] ?? "");
    const name = m[2] === undefined ? undefined : decodeURIComponent(m[2]);
    const notFound = (n: string): number =>
      send(res, 404, status(404, "NotFound", `leases.coordination.k8s.io "${n}" not found`));
    if (req.method === "GET" && name !== undefined) {
      const have = this.leases.get(`${ns}/${name}`);
      return have === undefined ? notFound(name) : send(res, 200, have);
    }
    if (req.method !== "POST" && req.method !== "PUT")
      return send(res, 405, status(405, "MethodNotAllowed", `${req.method} is not supported here`));
    let obj: JsonRecord;
    try {
      obj = JSON.parse(await body(req)) as JsonRecord;
    } catch {
      return send(res, 400, status(400, "BadRequest", "the body is not JSON"));
    }
    this.writes++;
    const md = (obj.metadata ?? {}) as JsonRecord;
    const objName = typeof md.name === "string" ? md.name : "";
    if (req.method === "POST") {
      if (name !== undefined || objName === "")
        return send(res, 400, status(400, "BadRequest", "POST to the collection"));
      if (this.leases.has(`${ns}/${objName}`))
        return send(
          res,
          409,
          status(409, "AlreadyExists", `leases.coordination.k8s.io "${objName}" already exists`),
        );
      return send(res, 201, this.save(ns, objName, obj));
    }
    if (name === undefined || objName !== name)
      return send(res, 400, status(400, "BadRequest", "name mismatch"));
    const have = this.leases.get(`${ns}/${name}`);
    if (have === undefined) return notFound(name);
    if (typeof md.resourceVersion !== "string")
      return send(
        res,
        422,
        status(
          422,
          "Invalid",
          "metadata.resourceVersion: Invalid value: 0x0: must be specified for an update",
        ),
      );
    if (md.resourceVersion !== (have.metadata as JsonRecord).resourceVersion)
      return send(
        res,
        409,
        status(
          409,
          "Conflict",
          `Operation cannot be fulfilled on leases.coordination.k8s.io "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        ),
      );
    return send(res, 200, this.save(ns, name, obj));
  }

  private save(ns: string, name: string, obj: JsonRecord): JsonRecord {
    const saved: JsonRecord = {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name, namespace: ns, resourceVersion: String(++this.rv) },
      spec: obj.spec ?? {},
    };
    this.leases.set(`${ns}/${name}`, saved);
    return saved;
  }
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
