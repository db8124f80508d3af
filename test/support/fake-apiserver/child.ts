// Runs a fake API server in its own process (for benchmarks, so its memory is not counted with
// the directory's). argv[2]: JSON WorldSize. Sends {url} over IPC when loaded; "stop" ends it.
import { FakeApiServer } from "./server.ts";
import { syntheticWorld, type WorldSize } from "./synthetic.ts";

const size = JSON.parse(process.argv[2] ?? "{}") as WorldSize;
const fake = await new FakeApiServer().start();
fake.recordRequests = false;
fake.faults.bookmarkIntervalMs = 5000;
fake.store.bulkLoad(syntheticWorld(size));
process.send?.({ url: fake.url, rssMb: Math.round(process.memoryUsage().rss / 2 ** 20) });
process.on("message", (m) => {
  if (m === "stop") void fake.close().then(() => process.exit(0));
});
process.on("disconnect", () => process.exit(0));
