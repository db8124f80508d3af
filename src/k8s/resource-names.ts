// Container resource names the way the API server classifies them (k8s.io/kubernetes
// pkg/apis/core/helper: IsNativeResource, IsHugePageResourceName, IsOvercommitAllowed,
// IsExtendedResourceName; validation.validateContainerResourceName). Cheap string checks, safe
// on the hot path.

const STANDARD_CONTAINER = new Set(["cpu", "memory", "ephemeral-storage"]);
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** A Kubernetes qualified name: optional DNS-subdomain prefix and "/", then a name of <= 63 chars. */
export function isQualifiedName(name: string): boolean {
  return name.length <= 253 + 1 + 63 && QUALIFIED_NAME.test(name);
}

/** Unprefixed names and anything under kubernetes.io/ belong to Kubernetes itself. */
export function isNativeResource(name: string): boolean {
  return !name.includes("/") || name.includes("kubernetes.io/");
}

export function isHugePages(name: string): boolean {
  return name.startsWith("hugepages-");
}

/**
 * cpu, memory and ephemeral-storage may be overcommitted (request below limit). Extended
 * resources (nvidia.com/gpu) and huge pages may not: the API server requires request == limit
 * and rejects a request without a limit ("Limit must be set for non overcommitable resources").
 */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePages(name);
}

/** A domain-prefixed name outside kubernetes.io (nvidia.com/gpu): integer quantities only. */
export function isExtendedResource(name: string): boolean {
  return !isNativeResource(name) && !name.startsWith("requests.") && QUALIFIED_NAME.test(`requests.${name}`);
}

/** What the API server accepts as a key of a container's requests/limits. */
export function isContainerResourceName(name: string): boolean {
  if (!isQualifiedName(name)) return false;
  if (!name.includes("/")) return STANDARD_CONTAINER.has(name) || isHugePages(name);
  return isNativeResource(name) || isExtendedResource(name);
}
