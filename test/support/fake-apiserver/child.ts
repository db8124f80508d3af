// Runs a fake API server in its own process (for benchmarks, so its memory is not counted with
// the directory's). argv[2]: JSON WorldSize; argv[3]: "tls" to serve HTTPS. Sends {url, ca} over
// IPC when loaded (ca: the PEM a kubeconfig names, over HTTPS); "stop" ends it.
import { makeServerPki } from "../pki.ts";
import { FakeApiServer } from "./server.ts";
import { syntheticWorld, type WorldSize } from "./synthetic.ts";

const size = JSON.parse(process.argv[2] ?? "{}") as WorldSize;
const pki = process.argv[3] === "tls" ? await makeServerPki("kube-apiserver") : undefined;
const fake = await new FakeApiServer().start({ tls: pki?.serving });
fake.recordRequests = false;
fake.faults.bookmarkIntervalMs = 5000;
fake.store.bulkLoad(syntheticWorld(size));
process.send?.({ url: fake.url, ca: pki?.ca.cert, rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) });
process.on("message", (m) => {
  if (m === "stop") void fake.close().then(() => process.exit(0));
});
process.on("disconnect", () => process.exit(0));
