// TG-POD-HOST-NAMESPACE, TG-POD-HOSTPATH, TG-POD-PRIVILEGED: the multi-tenancy baseline for pods and
// pod templates, each configurable in settings.pods.
import { POD_CHECKS } from "../pod/check-pod-spec.ts";
import { POD_HOST_NAMESPACE, POD_HOSTPATH, POD_PRIVILEGED } from "../pod/codes.ts";
import { podCheck, podRule } from "../pod/pod-rule.ts";
import type { Rule } from "../types.ts";

export const podHostNamespaceRule: Rule = podRule(
  podCheck(POD_CHECKS, POD_HOST_NAMESPACE),
  "a pod (template) uses the node's network, PID or IPC namespace",
);

export const podHostPathRule: Rule = podRule(
  podCheck(POD_CHECKS, POD_HOSTPATH),
  "a pod (template) mounts a hostPath volume",
);

export const podPrivilegedRule: Rule = podRule(
  podCheck(POD_CHECKS, POD_PRIVILEGED),
  "a pod (template) runs a privileged container",
);
