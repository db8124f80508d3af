// `tenant-guard audit --cluster` reports tenants whose running pods exceed spec.quota.hard (a
// budget lowered below usage): on stderr and in the JSON report, never as a finding against the
// running pods themselves. Succeeded pods and other tenants' pods are not counted.
import { afterEach, describe, expect, it } from "vitest";
import { audit } from "../unit/audit/support/run-audit.ts";
import { startListServer, type ListServer } from "../support/audit-list-server.ts";

const TENANT = "tenant-guard.dev/tenant";
let server: ListServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const pod = (ns: string, name: string, gpus: number, phase = "Running") => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, namespace: ns },
  spec: {
    containers: [
      {
        name: "m",
        image: "ghcr.io/example-org/trainer:1.4",
        resources: {
          requests: { "nvidia.com/gpu": String(gpus) },
          limits: { "nvidia.com/gpu": String(gpus) },
        },
      },
    ],
  },
  status: { phase },
});

const objects = (hard: string) => [
  {
    apiVersion: "tenant-guard.dev/v1alpha1",
    kind: "Tenant",
    metadata: { name: "team-ml" },
    spec: { quota: { hard: { "requests.nvidia.com/gpu": hard } } },
  },
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "ml-a", labels: { [TENANT]: "team-ml" } } },
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "ml-b", labels: { [TENANT]: "team-ml" } } },
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "other", labels: { [TENANT]: "team-other" } } },
  pod("ml-a", "w-0", 4),
  pod("ml-b", "w-1", 4),
  pod("ml-b", "done-0", 8, "Succeeded"),
  pod("other", "big-0", 8),
];

describe("audit --cluster: tenants over budget", () => {
  it("reports a tenant whose running pods use more than hard (8 of 6 GPUs)", async () => {
    server = await startListServer(objects("6"));
    const r = await audit(["--cluster", "--kubeconfig", server.kubeconfig, "-o", "json"]);
    const report = JSON.parse(r.out) as {
      overBudget?: string[];
      results: { findings: { code: string }[] }[];
    };
    const line =
      'tenant "team-ml" is over budget: requests.nvidia.com/gpu used 8, hard 6 (running pods are not touched; new pods are denied until usage falls below it)';
    expect(report.overBudget).toEqual([line]);
    expect(r.err).toContain(line);
  });

  it("reports nothing when the budget holds them (8 of 8)", async () => {
    server = await startListServer(objects("8"));
    const r = await audit(["--cluster", "--kubeconfig", server.kubeconfig, "-o", "json"]);
    expect((JSON.parse(r.out) as { overBudget?: string[] }).overBudget).toBeUndefined();
    expect(r.err).not.toContain("over budget");
  });
});
