// TG-POD-HOST-NAMESPACE, TG-POD-HOSTPATH, TG-POD-PRIVILEGED: the multi-tenancy baseline for pods and
// pod templates, each configurable in settings.pods.
import { POD_HOST_NAMESPACE, POD_HOSTPATH, POD_PRIVILEGED } from "../pod/codes.ts";
import {
  checkContainerPrivileged,
  checkHostNamespaces,
  checkHostPath,
  checkPrivileged,
} from "../pod/host.ts";
import { podRule, type PodRule } from "../pod/pod-rule.ts";

export const podHostNamespaceRule: PodRule = podRule({
  code: POD_HOST_NAMESPACE,
  summary: "a pod (template) uses the node's network, PID or IPC namespace",
  spec: checkHostNamespaces,
});

export const podHostPathRule: PodRule = podRule({
  code: POD_HOSTPATH,
  summary: "a pod (template) mounts a hostPath volume",
  spec: checkHostPath,
});

export const podPrivilegedRule: PodRule = podRule({
  code: POD_PRIVILEGED,
  summary: "a pod (template) runs a privileged container",
  spec: checkPrivileged,
  container: (s, c, path, out) => checkContainerPrivileged(s, c, () => path, out),
});
