import { describe, expect, it } from "vitest";
import { buildConfig } from "../../../../src/policy/config.ts";
import { policySettings } from "../../../../src/policy/settings.ts";
import { checkHostNamespaces, checkHostPath, checkPrivileged } from "../../../../src/policy/pod/host.ts";
import { c, run } from "./world.ts";

const permissive = policySettings(
  buildConfig(undefined, { pods: { allowHostNamespaces: true, allowHostPath: true, allowPrivileged: true } }),
);

describe("host access", () => {
  it.each([
    ["hostNetwork", checkHostNamespaces, { hostNetwork: true }, ["TG-POD-HOST-NAMESPACE@spec.hostNetwork"]],
    [
      "hostPID and hostIPC",
      checkHostNamespaces,
      { hostPID: true, hostIPC: true },
      ["TG-POD-HOST-NAMESPACE@spec.hostPID", "TG-POD-HOST-NAMESPACE@spec.hostIPC"],
    ],
    ["hostNetwork false", checkHostNamespaces, { hostNetwork: false }, []],
    ["hostNetwork as a string is not true", checkHostNamespaces, { hostNetwork: "true" }, []],
    [
      "hostPath volume",
      checkHostPath,
      {
        volumes: [
          { name: "a", emptyDir: {} },
          { name: "h", hostPath: { path: "/var/run" } },
        ],
      },
      ["TG-POD-HOSTPATH@spec.volumes[1].hostPath"],
    ],
    [
      "privileged init container",
      checkPrivileged,
      { initContainers: [c({ securityContext: { privileged: true } })] },
      ["TG-POD-PRIVILEGED@spec.initContainers[0].securityContext.privileged"],
    ],
    [
      "privileged ephemeral container",
      checkPrivileged,
      { ephemeralContainers: [c({ securityContext: { privileged: true } })] },
      ["TG-POD-PRIVILEGED@spec.ephemeralContainers[0].securityContext.privileged"],
    ],
    [
      "unprivileged",
      checkPrivileged,
      { containers: [c({ securityContext: { privileged: false, allowPrivilegeEscalation: false } })] },
      [],
    ],
  ])("%s", (_name, check, spec, want) => {
    expect(run(check, "alpha-ns", spec)).toEqual(want);
  });

  it.each([
    ["host namespaces", checkHostNamespaces, { hostNetwork: true }],
    ["hostPath", checkHostPath, { volumes: [{ name: "h", hostPath: { path: "/" } }] }],
    ["privileged", checkPrivileged, { containers: [c({ securityContext: { privileged: true } })] }],
  ])("%s can be allowed by config", (_name, check, spec) => {
    expect(run(check, "alpha-ns", spec, permissive)).toEqual([]);
  });
});
