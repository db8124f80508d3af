// Every field of the Kubernetes API types a tenant writes that names another object or a place
// (found by test/unit/policy/reference-walk.ts), and what tenant-guard does about it: a rule code
// that judges it, why it crosses nothing, or which later issue covers it — and, honestly, the gaps.
// reference-catalogue.test.ts fails when the walk finds a field that is not here, when a field here
// no longer exists, when a code is not a rule, and when a TG-POD-REFERENCE field is not checked.
// Keys are "Type.field" of the type that declares the field (V1 prefix dropped), so one entry holds
// wherever the type appears: PersistentVolumeClaimSpec.dataSource is a PVC's, an ephemeral volume's
// claim template's and a StatefulSet volumeClaimTemplate's; ImageVolumeSource.reference is
// Volume.image.reference.
import type { JsonRecord } from "../../../src/k8s/access.ts";

/** A pod spec that sets the field to another tenant's object, and the finding path it must give. */
export interface Probe {
  readonly spec: JsonRecord;
  readonly path: string;
}

export type Decision =
  | { readonly rule: string; readonly probe?: Probe }
  | { readonly harmless: string }
  | { readonly later: string }
  | { readonly gap: string };

const REFERENCE = "TG-POD-REFERENCE";
const NODE_POOL = "TG-POD-NODE-POOL";
const REGISTRY = "TG-POD-REGISTRY";
const NETWORK = { later: "network boundaries: issue 22" } as const;
const DEVICES = {
  harmless:
    "names a ResourceClaim (template) of the pod's own namespace only; TG-DRA-DEVICE-CLASS judges the claim",
} as const;
// In-tree volumes that address storage by its own identity (disk ID, server, target), not through
// a PVC: nothing in the API says whose disk or export it is. Pod Security "restricted" forbids
// these volume types; no tenant-guard rule does.
const DIRECT_STORAGE = {
  gap: "inline volume addressing storage by its own ID or address, not via a PVC: another tenant's disk or export is reachable; only Pod Security 'restricted' forbids the volume type",
} as const;
const NODE_PROBE = {
  gap: "the kubelet connects from the node to this host for probes and hooks: another tenant's pod IP or a node-local endpoint is reachable",
} as const;
const OWN_PODS = { harmless: "selects pods of the object's own namespace only" } as const;
const SAME_POD = { harmless: "names a container, volume or field of the same pod" } as const;

const volume = (v: JsonRecord, suffix: string): Probe => ({
  spec: { volumes: [{ name: "v", ...v }], containers: [{ name: "main", image: "busybox" }] },
  path: `spec.volumes[0]${suffix}`,
});
const container = (c: JsonRecord, suffix: string): Probe => ({
  spec: { containers: [{ name: "main", image: "busybox", ...c }] },
  path: `spec.containers[0]${suffix}`,
});
const secretRefVolume = (source: string): Decision => ({
  rule: REFERENCE,
  probe: volume({ [source]: { secretRef: { name: "beta-secret" } } }, `.${source}.secretRef.name`),
});
const secretVolume = volume({ secret: { secretName: "beta-secret" } }, ".secret.secretName");
const configMapVolume = volume({ configMap: { name: "beta-cm" } }, ".configMap.name");
const claimVolume = volume(
  { persistentVolumeClaim: { claimName: "beta-pvc" } },
  ".persistentVolumeClaim.claimName",
);
const projectedSecret = volume(
  { projected: { sources: [{ secret: { name: "beta-secret" } }] } },
  ".projected.sources[0].secret.name",
);
const projectedConfigMap = volume(
  { projected: { sources: [{ configMap: { name: "beta-cm" } }] } },
  ".projected.sources[0].configMap.name",
);

export const REFERENCE_CATALOGUE: Readonly<Record<string, Decision>> = {
  // ---- PodSpec: placement, identity, scheduling -------------------------------------------
  "PodSpec.nodeName": { rule: NODE_POOL },
  "PodSpec.nodeSelector": { rule: NODE_POOL },
  "PodSpec.affinity": { rule: NODE_POOL },
  "PodSpec.tolerations": { rule: NODE_POOL },
  "PreferredSchedulingTerm.preference": {
    harmless:
      "a soft preference: the pod still needs the pool's tolerations and required terms, which TG-POD-NODE-POOL judges",
  },
  "PodAffinityTerm.namespaces": {
    gap: "pod (anti-)affinity to pods of another tenant's namespaces lets a tenant seek or probe where that tenant's pods run",
  },
  "PodAffinityTerm.namespaceSelector": {
    gap: "pod (anti-)affinity to pods of another tenant's namespaces lets a tenant seek or probe where that tenant's pods run",
  },
  "PodAffinityTerm.labelSelector": {
    harmless:
      "pods of the pod's own namespace unless namespaces / namespaceSelector widen it (listed on their own)",
  },
  "TopologySpreadConstraint.labelSelector": { harmless: "counts pods of the pod's own namespace only" },
  "PodSpec.schedulerName": {
    harmless:
      "whichever scheduler places the pod binds it through pods/binding, which TG-POD-NODE-POOL judges",
  },
  "PodSpec.priorityClassName": { rule: "TG-POD-PRIORITY-CLASS" },
  "PodSpec.runtimeClassName": { rule: "TG-POD-RUNTIME-CLASS" },
  "PodSpec.serviceAccountName": { rule: "TG-POD-SERVICE-ACCOUNT" },
  "PodSpec.serviceAccount": { rule: "TG-POD-SERVICE-ACCOUNT" },
  "PodSpec.imagePullSecrets": {
    rule: REFERENCE,
    probe: {
      spec: { imagePullSecrets: [{ name: "beta-secret" }], containers: [{ name: "main", image: "busybox" }] },
      path: "spec.imagePullSecrets[0].name",
    },
  },
  "PodSpec.hostname": {
    harmless: "the pod's own host name; no DNS record exists without its subdomain's Service",
  },
  "PodSpec.subdomain": { harmless: "a headless Service of the pod's own namespace" },
  "PodSpec.resourceClaims": DEVICES,
  "PodResourceClaim.resourceClaimName": DEVICES,
  "PodResourceClaim.resourceClaimTemplateName": DEVICES,
  "ResourceRequirements.claims": { harmless: "names an entry of the pod's own spec.resourceClaims" },
  "PodSchedulingGroup.podGroupName": { harmless: "a PodGroup (gang scheduling) of the pod's own namespace" },
  "PodDNSConfig.nameservers": { harmless: "the pod's own resolver; reaches nothing the pod could not dial" },
  "PodSecurityContext.seLinuxOptions": {
    gap: "an SELinux level chosen by the pod can equal another tenant's (per-namespace MCS levels) and open its files on shared storage",
  },
  "SecurityContext.seLinuxOptions": {
    gap: "an SELinux level chosen by the pod can equal another tenant's (per-namespace MCS levels) and open its files on shared storage",
  },
  "HostAlias.ip": {
    harmless: "an entry in the pod's own /etc/hosts; reaches nothing the pod could not dial",
  },
  "HostAlias.hostnames": { harmless: "an entry in the pod's own /etc/hosts" },
  "WindowsSecurityContextOptions.gmsaCredentialSpecName": {
    harmless: "the GMSA admission webhook authorizes the pod's service account for the credential spec",
  },
  "WindowsSecurityContextOptions.runAsUserName": { harmless: "a user inside the container" },
  "PodFailurePolicyOnExitCodesRequirement.containerName": SAME_POD,

  // ---- containers ------------------------------------------------------------------------
  "Container.image": { rule: REGISTRY },
  "EphemeralContainer.image": { rule: REGISTRY },
  "EphemeralContainer.targetContainerName": SAME_POD,
  "ContainerResizePolicy.resourceName": { harmless: "a resource of the container itself" },
  "ContainerPort.hostPort": {
    gap: "binds a port on the shared node, where other tenants' pods run; Pod Security 'baseline' forbids it, tenant-guard does not",
  },
  "ContainerPort.hostIP": {
    gap: "binds a port on the shared node, where other tenants' pods run; Pod Security 'baseline' forbids it, tenant-guard does not",
  },
  "HTTPGetAction.host": NODE_PROBE,
  "TCPSocketAction.host": NODE_PROBE,
  "GRPCAction.service": { harmless: "the gRPC health service name, sent to the pod's own port" },
  "EnvVarSource.secretKeyRef": {
    rule: REFERENCE,
    probe: container(
      { env: [{ name: "K", valueFrom: { secretKeyRef: { name: "beta-secret", key: "k" } } }] },
      ".env[0].valueFrom.secretKeyRef.name",
    ),
  },
  "EnvVarSource.configMapKeyRef": {
    rule: REFERENCE,
    probe: container(
      { env: [{ name: "K", valueFrom: { configMapKeyRef: { name: "beta-cm", key: "k" } } }] },
      ".env[0].valueFrom.configMapKeyRef.name",
    ),
  },
  "EnvVarSource.fieldRef": SAME_POD,
  "EnvVarSource.resourceFieldRef": SAME_POD,
  "EnvVarSource.fileKeyRef": SAME_POD,
  "EnvFromSource.secretRef": {
    rule: REFERENCE,
    probe: container({ envFrom: [{ secretRef: { name: "beta-secret" } }] }, ".envFrom[0].secretRef.name"),
  },
  "EnvFromSource.configMapRef": {
    rule: REFERENCE,
    probe: container({ envFrom: [{ configMapRef: { name: "beta-cm" } }] }, ".envFrom[0].configMapRef.name"),
  },
  "ResourceFieldSelector.containerName": SAME_POD,
  "ResourceFieldSelector.resource": SAME_POD,
  "DownwardAPIVolumeFile.fieldRef": SAME_POD,
  "DownwardAPIVolumeFile.resourceFieldRef": SAME_POD,

  // ---- volumes: each source, then the fields inside that name something ------------------
  "Volume.secret": { rule: REFERENCE, probe: secretVolume },
  "SecretVolumeSource.secretName": { rule: REFERENCE, probe: secretVolume },
  "Volume.configMap": { rule: REFERENCE, probe: configMapVolume },
  "ConfigMapVolumeSource.name": { rule: REFERENCE, probe: configMapVolume },
  "Volume.persistentVolumeClaim": { rule: REFERENCE, probe: claimVolume },
  "PersistentVolumeClaimVolumeSource.claimName": { rule: REFERENCE, probe: claimVolume },
  "Volume.projected": { rule: REFERENCE, probe: projectedSecret },
  "VolumeProjection.secret": { rule: REFERENCE, probe: projectedSecret },
  "SecretProjection.name": { rule: REFERENCE, probe: projectedSecret },
  "VolumeProjection.configMap": { rule: REFERENCE, probe: projectedConfigMap },
  "ConfigMapProjection.name": { rule: REFERENCE, probe: projectedConfigMap },
  "VolumeProjection.downwardAPI": SAME_POD,
  "VolumeProjection.serviceAccountToken": { harmless: "a token of the pod's own service account" },
  "ServiceAccountTokenProjection.path": SAME_POD,
  "VolumeProjection.clusterTrustBundle": {
    harmless: "ClusterTrustBundles are cluster-scoped public CA bundles, readable by every pod by design",
  },
  "ClusterTrustBundleProjection.name": {
    harmless: "ClusterTrustBundles are cluster-scoped public CA bundles, readable by every pod by design",
  },
  "ClusterTrustBundleProjection.signerName": {
    harmless: "ClusterTrustBundles are cluster-scoped public CA bundles, readable by every pod by design",
  },
  "ClusterTrustBundleProjection.labelSelector": {
    harmless: "ClusterTrustBundles are cluster-scoped public CA bundles, readable by every pod by design",
  },
  "ClusterTrustBundleProjection.path": SAME_POD,
  "VolumeProjection.podCertificate": {
    harmless: "a certificate for this pod's own identity; the signer decides whether to issue it",
  },
  "PodCertificateProjection.signerName": {
    harmless: "a certificate for this pod's own identity; the signer decides whether to issue it",
  },
  "Volume.csi": {
    gap: "an inline CSI volume: the driver's volumeAttributes may address another tenant's storage (driver-specific); only nodePublishSecretRef is checked",
  },
  "CSIVolumeSource.driver": {
    gap: "an inline CSI volume: the driver's volumeAttributes may address another tenant's storage (driver-specific); only nodePublishSecretRef is checked",
  },
  "CSIVolumeSource.nodePublishSecretRef": {
    rule: REFERENCE,
    probe: volume(
      { csi: { driver: "secrets-store.csi.k8s.io", nodePublishSecretRef: { name: "beta-secret" } } },
      ".csi.nodePublishSecretRef.name",
    ),
  },
  "Volume.hostPath": { rule: "TG-POD-HOSTPATH" },
  "HostPathVolumeSource.path": { rule: "TG-POD-HOSTPATH" },
  "Volume.image": { rule: REGISTRY },
  "ImageVolumeSource.reference": { rule: REGISTRY },
  "Volume.ephemeral": {
    harmless: "its claim template's fields are the PersistentVolumeClaimSpec entries below",
  },
  "Volume.emptyDir": { harmless: "scratch space of this pod on its node" },
  "Volume.downwardAPI": SAME_POD,
  "Volume.azureFile": {
    harmless: "the share is reached with the account key of secretName, which TG-POD-REFERENCE judges",
  },
  "AzureFileVolumeSource.shareName": {
    harmless: "the share is reached with the account key of secretName, which TG-POD-REFERENCE judges",
  },
  "AzureFileVolumeSource.secretName": {
    rule: REFERENCE,
    probe: volume({ azureFile: { secretName: "beta-secret", shareName: "s" } }, ".azureFile.secretName"),
  },
  "Volume.cephfs": DIRECT_STORAGE,
  "CephFSVolumeSource.monitors": DIRECT_STORAGE,
  "CephFSVolumeSource.path": DIRECT_STORAGE,
  "CephFSVolumeSource.secretRef": secretRefVolume("cephfs"),
  "Volume.rbd": DIRECT_STORAGE,
  "RBDVolumeSource.monitors": DIRECT_STORAGE,
  "RBDVolumeSource.pool": DIRECT_STORAGE,
  "RBDVolumeSource.image": DIRECT_STORAGE,
  "RBDVolumeSource.secretRef": secretRefVolume("rbd"),
  "Volume.iscsi": DIRECT_STORAGE,
  "ISCSIVolumeSource.targetPortal": DIRECT_STORAGE,
  "ISCSIVolumeSource.portals": DIRECT_STORAGE,
  "ISCSIVolumeSource.initiatorName": DIRECT_STORAGE,
  "ISCSIVolumeSource.secretRef": secretRefVolume("iscsi"),
  "Volume.flexVolume": DIRECT_STORAGE,
  "FlexVolumeSource.driver": DIRECT_STORAGE,
  "FlexVolumeSource.secretRef": secretRefVolume("flexVolume"),
  "Volume.scaleIO": DIRECT_STORAGE,
  "ScaleIOVolumeSource.volumeName": DIRECT_STORAGE,
  "ScaleIOVolumeSource.secretRef": secretRefVolume("scaleIO"),
  "Volume.storageos": DIRECT_STORAGE,
  "StorageOSVolumeSource.volumeName": DIRECT_STORAGE,
  "StorageOSVolumeSource.secretRef": secretRefVolume("storageos"),
  "Volume.cinder": DIRECT_STORAGE,
  "CinderVolumeSource.volumeID": DIRECT_STORAGE,
  "CinderVolumeSource.secretRef": secretRefVolume("cinder"),
  "Volume.awsElasticBlockStore": DIRECT_STORAGE,
  "AWSElasticBlockStoreVolumeSource.volumeID": DIRECT_STORAGE,
  "Volume.azureDisk": DIRECT_STORAGE,
  "AzureDiskVolumeSource.diskName": DIRECT_STORAGE,
  "AzureDiskVolumeSource.diskURI": DIRECT_STORAGE,
  "Volume.gcePersistentDisk": DIRECT_STORAGE,
  "GCEPersistentDiskVolumeSource.pdName": DIRECT_STORAGE,
  "Volume.nfs": DIRECT_STORAGE,
  "NFSVolumeSource.server": DIRECT_STORAGE,
  "NFSVolumeSource.path": DIRECT_STORAGE,
  "Volume.glusterfs": DIRECT_STORAGE,
  "GlusterfsVolumeSource.endpoints": DIRECT_STORAGE,
  "GlusterfsVolumeSource.path": DIRECT_STORAGE,
  "Volume.fc": DIRECT_STORAGE,
  "FCVolumeSource.targetWWNs": DIRECT_STORAGE,
  "FCVolumeSource.wwids": DIRECT_STORAGE,
  "Volume.flocker": DIRECT_STORAGE,
  "FlockerVolumeSource.datasetName": DIRECT_STORAGE,
  "Volume.photonPersistentDisk": DIRECT_STORAGE,
  "PhotonPersistentDiskVolumeSource.pdID": DIRECT_STORAGE,
  "Volume.portworxVolume": DIRECT_STORAGE,
  "PortworxVolumeSource.volumeID": DIRECT_STORAGE,
  "Volume.quobyte": DIRECT_STORAGE,
  "QuobyteVolumeSource.registry": DIRECT_STORAGE,
  "QuobyteVolumeSource.volume": DIRECT_STORAGE,
  "Volume.vsphereVolume": DIRECT_STORAGE,
  "VsphereVirtualDiskVolumeSource.volumePath": DIRECT_STORAGE,
  "VsphereVirtualDiskVolumeSource.storagePolicyName": DIRECT_STORAGE,
  "Volume.gitRepo": {
    gap: "the kubelet clones any repository URL from the node (deprecated; CVE-2024-10220); Pod Security 'restricted' forbids it",
  },
  "GitRepoVolumeSource.repository": {
    gap: "the kubelet clones any repository URL from the node (deprecated; CVE-2024-10220); Pod Security 'restricted' forbids it",
  },

  // ---- claims: PVCs, ephemeral claim templates, StatefulSet volumeClaimTemplates -----------
  "PersistentVolumeClaimSpec.dataSource": { rule: "TG-PVC-DATA-SOURCE" },
  "PersistentVolumeClaimSpec.dataSourceRef": { rule: "TG-PVC-DATA-SOURCE" },
  "PersistentVolumeClaimSpec.volumeName": { rule: "TG-PVC-VOLUME" },
  "PersistentVolumeClaimSpec.selector": { rule: "TG-PVC-VOLUME" },
  "PersistentVolumeClaimSpec.storageClassName": { rule: "TG-PVC-STORAGE-CLASS" },
  "PersistentVolumeClaimSpec.volumeAttributesClassName": {
    gap: "a VolumeAttributesClass (IOPS and throughput tier) is not limited by storage.allowedClasses",
  },

  // ---- workloads and metadata ------------------------------------------------------------
  "DeploymentSpec.selector": OWN_PODS,
  "StatefulSetSpec.selector": OWN_PODS,
  "DaemonSetSpec.selector": OWN_PODS,
  "ReplicaSetSpec.selector": OWN_PODS,
  "JobSpec.selector": OWN_PODS,
  "StatefulSetSpec.serviceName": { harmless: "a headless Service of the StatefulSet's own namespace" },
  "ObjectMeta.namespace": { harmless: "set from the request path; the API server refuses a different one" },
  "ObjectMeta.generateName": { harmless: "a prefix for the object's own name" },
  "ObjectMeta.ownerReferences": {
    harmless:
      "a namespaced owner must be in the object's own namespace (else it counts as absent); a cluster-scoped owner only ties the tenant's own object to it",
  },

  // ---- service accounts ------------------------------------------------------------------
  "ServiceAccount.secrets": { rule: "TG-SA-SECRET-REFERENCE" },
  "ServiceAccount.imagePullSecrets": { rule: "TG-SA-SECRET-REFERENCE" },

  // ---- Services, Endpoints, Ingresses: issue 22 -------------------------------------------
  "ServiceSpec.selector": NETWORK,
  "ServiceSpec.clusterIP": NETWORK,
  "ServiceSpec.clusterIPs": NETWORK,
  "ServiceSpec.externalIPs": NETWORK,
  "ServiceSpec.externalName": NETWORK,
  "ServiceSpec.loadBalancerIP": NETWORK,
  "ServiceSpec.loadBalancerClass": NETWORK,
  "ServiceSpec.loadBalancerSourceRanges": NETWORK,
  "ServiceSpec.healthCheckNodePort": NETWORK,
  "ServicePort.nodePort": NETWORK,
  "EndpointAddress.ip": NETWORK,
  "EndpointAddress.hostname": NETWORK,
  "EndpointAddress.nodeName": NETWORK,
  "EndpointAddress.targetRef": NETWORK,
  "IngressSpec.ingressClassName": NETWORK,
  "IngressSpec.defaultBackend": NETWORK,
  "IngressRule.host": NETWORK,
  "IngressTLS.hosts": NETWORK,
  "IngressTLS.secretName": NETWORK,
  "HTTPIngressPath.backend": NETWORK,
  "IngressBackend.service": NETWORK,
  "IngressBackend.resource": NETWORK,
  "IngressServiceBackend.name": NETWORK,
};
