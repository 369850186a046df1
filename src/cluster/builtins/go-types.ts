/**
 * Shapes of the built-in kinds as their Go structs declare them (k8s.io/api v1.28): field order (JSON
 * output follows it), maps (written with sorted keys), list types (server-side apply merges
 * `+listType=map` lists by their keys and `+listType=set` lists by value, replaces atomic ones), and
 * which fields exist in Go's zero value (a managedFields `"."` marks a map or item that did not).
 *
 * One line per struct: `jsonName[!][:type] …` where `!` = present in the zero value (a non-pointer
 * struct, or a list/map without omitempty) and type is
 *   (none) scalar · `Name` struct · `{}` map of scalars · `{Name}` map of structs · `{}@` atomic map ·
 *   `[]` atomic list of scalars · `[Name]` atomic list · `[Name|k1,k2=default]` list-map keyed by k1,k2
 *   (a missing key field takes its default) · `[|set]` set of scalars · `*` any JSON · `raw` JSON kept
 *   byte for byte (apiextensions JSON values) · `...Name` inlines Name's fields (Go embedding).
 * Structs marked `+structType=atomic` are listed in `atomicStructs`. Kinds not described here are
 * treated generically (client key order, granular maps, atomic lists), which is how they behaved
 * before this table existed.
 */

const structs: Record<string, string> = {
  // meta/v1
  ObjectMeta:
    'name generateName namespace selfLink uid resourceVersion generation creationTimestamp! deletionTimestamp deletionGracePeriodSeconds labels:{} annotations:{} ownerReferences:[OwnerReference|uid] finalizers:[|set] managedFields:raw',
  OwnerReference: 'apiVersion kind name uid controller blockOwnerDeletion',
  LabelSelector: 'matchLabels:{} matchExpressions:[LabelSelectorRequirement]',
  LabelSelectorRequirement: 'key operator values:[]',
  Condition: 'type status observedGeneration lastTransitionTime reason message',

  // core/v1
  ConfigMap: 'metadata!:ObjectMeta immutable data:{} binaryData:{}',
  Secret: 'metadata!:ObjectMeta immutable data:{} stringData:{} type',
  Namespace: 'metadata!:ObjectMeta spec!:NamespaceSpec status!:NamespaceStatus',
  NamespaceSpec: 'finalizers:[]',
  NamespaceStatus: 'phase conditions:[NamespaceCondition|type]',
  NamespaceCondition: 'type status lastTransitionTime reason message',
  ServiceAccount:
    'metadata!:ObjectMeta secrets:[ObjectReference|name] imagePullSecrets:[LocalObjectReference] automountServiceAccountToken',
  ObjectReference: 'kind namespace name uid apiVersion resourceVersion fieldPath',
  LocalObjectReference: 'name',
  Endpoints: 'metadata!:ObjectMeta subsets:[EndpointSubset]',
  EndpointSubset: 'addresses:[EndpointAddress] notReadyAddresses:[EndpointAddress] ports:[EndpointPort]',
  EndpointAddress: 'ip hostname nodeName targetRef:ObjectReference',
  EndpointPort: 'name port protocol appProtocol',
  Event:
    'metadata!:ObjectMeta involvedObject!:ObjectReference reason message source!:EventSource firstTimestamp lastTimestamp count type eventTime series:EventSeries action related:ObjectReference reportingComponent! reportingInstance!',
  EventSource: 'component host',
  EventSeries: 'count lastObservedTime',
  Service: 'metadata!:ObjectMeta spec!:ServiceSpec status!:ServiceStatus',
  ServiceSpec:
    'ports:[ServicePort|port,protocol=TCP] selector:{}@ clusterIP clusterIPs:[] type externalIPs:[] sessionAffinity loadBalancerIP loadBalancerSourceRanges:[] externalName externalTrafficPolicy healthCheckNodePort publishNotReadyAddresses sessionAffinityConfig:SessionAffinityConfig ipFamilies:[] ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy',
  ServicePort: 'name protocol appProtocol port targetPort nodePort',
  SessionAffinityConfig: 'clientIP:ClientIPConfig',
  ClientIPConfig: 'timeoutSeconds',
  ServiceStatus: 'loadBalancer!:LoadBalancerStatus conditions:[Condition|type]',
  LoadBalancerStatus: 'ingress:[LoadBalancerIngress]',
  LoadBalancerIngress: 'ip hostname ipMode ports:[PortStatus]',
  PortStatus: 'port protocol error',
  Node: 'metadata!:ObjectMeta spec!:NodeSpec status!:NodeStatus',
  NodeSpec: 'podCIDR podCIDRs:[|set] providerID unschedulable taints:[Taint] configSource:* externalID',
  Taint: 'key value effect timeAdded',
  NodeStatus:
    'capacity:{} allocatable:{} phase conditions:[NodeCondition|type] addresses:[NodeAddress|type] daemonEndpoints!:NodeDaemonEndpoints nodeInfo!:NodeSystemInfo images:[ContainerImage] volumesInUse:[] volumesAttached:[AttachedVolume] config:*',
  NodeCondition: 'type status lastHeartbeatTime lastTransitionTime reason message',
  NodeAddress: 'type address',
  NodeDaemonEndpoints: 'kubeletEndpoint!:DaemonEndpoint',
  DaemonEndpoint: 'Port',
  NodeSystemInfo:
    'machineID systemUUID bootID kernelVersion osImage containerRuntimeVersion kubeletVersion kubeProxyVersion operatingSystem architecture',
  ContainerImage: 'names:[] sizeBytes',
  AttachedVolume: 'name devicePath',
  Pod: 'metadata!:ObjectMeta spec!:PodSpec status!:PodStatus',
  PodTemplateSpec: 'metadata!:ObjectMeta spec!:PodSpec',
  PodSpec:
    'volumes:[Volume|name] initContainers:[Container|name] containers!:[Container|name] ephemeralContainers:[Container|name] restartPolicy terminationGracePeriodSeconds activeDeadlineSeconds dnsPolicy nodeSelector:{}@ serviceAccountName serviceAccount automountServiceAccountToken nodeName hostNetwork hostPID hostIPC shareProcessNamespace securityContext:PodSecurityContext imagePullSecrets:[LocalObjectReference|name] hostname subdomain affinity:Affinity schedulerName tolerations:[Toleration] hostAliases:[HostAlias|ip] priorityClassName priority dnsConfig:PodDNSConfig readinessGates:[PodReadinessGate] runtimeClassName enableServiceLinks preemptionPolicy overhead:{} topologySpreadConstraints:[TopologySpreadConstraint|topologyKey,whenUnsatisfiable] setHostnameAsFQDN os:PodOS hostUsers schedulingGates:[PodSchedulingGate|name] resourceClaims:[PodResourceClaim|name]',
  Volume: 'name ...VolumeSource',
  VolumeSource:
    'hostPath:HostPathVolumeSource emptyDir:EmptyDirVolumeSource gcePersistentDisk:* awsElasticBlockStore:* gitRepo:* secret:SecretVolumeSource nfs:* iscsi:* glusterfs:* persistentVolumeClaim:PersistentVolumeClaimVolumeSource rbd:* flexVolume:* cinder:* cephfs:* flocker:* downwardAPI:DownwardAPIVolumeSource fc:* azureFile:* configMap:ConfigMapVolumeSource vsphereVolume:* quobyte:* azureDisk:* photonPersistentDisk:* projected:ProjectedVolumeSource portworxVolume:* scaleIO:* storageos:* csi:CSIVolumeSource ephemeral:*',
  HostPathVolumeSource: 'path type',
  EmptyDirVolumeSource: 'medium sizeLimit',
  SecretVolumeSource: 'secretName items:[KeyToPath] defaultMode optional',
  ConfigMapVolumeSource: 'name items:[KeyToPath] defaultMode optional',
  KeyToPath: 'key path mode',
  PersistentVolumeClaimVolumeSource: 'claimName readOnly',
  DownwardAPIVolumeSource: 'items:[DownwardAPIVolumeFile] defaultMode',
  DownwardAPIVolumeFile: 'path fieldRef:ObjectFieldSelector resourceFieldRef:ResourceFieldSelector mode',
  ProjectedVolumeSource: 'sources:[VolumeProjection] defaultMode',
  VolumeProjection:
    'secret:SecretProjection downwardAPI:DownwardAPIProjection configMap:ConfigMapProjection serviceAccountToken:ServiceAccountTokenProjection clusterTrustBundle:*',
  SecretProjection: 'name items:[KeyToPath] optional',
  ConfigMapProjection: 'name items:[KeyToPath] optional',
  DownwardAPIProjection: 'items:[DownwardAPIVolumeFile]',
  ServiceAccountTokenProjection: 'audience expirationSeconds path',
  CSIVolumeSource: 'driver readOnly fsType volumeAttributes:{} nodePublishSecretRef:LocalObjectReference',
  Container:
    'name! image command:[] args:[] workingDir ports:[ContainerPort|containerPort,protocol=TCP] envFrom:[EnvFromSource] env:[EnvVar|name] resources!:ResourceRequirements resizePolicy:[ContainerResizePolicy] restartPolicy volumeMounts:[VolumeMount|mountPath] volumeDevices:[VolumeDevice|devicePath] livenessProbe:Probe readinessProbe:Probe startupProbe:Probe lifecycle:Lifecycle terminationMessagePath terminationMessagePolicy imagePullPolicy securityContext:SecurityContext stdin stdinOnce tty targetContainerName',
  ContainerPort: 'name hostPort containerPort protocol hostIP',
  EnvFromSource: 'prefix configMapRef:ConfigMapEnvSource secretRef:SecretEnvSource',
  ConfigMapEnvSource: 'name optional',
  SecretEnvSource: 'name optional',
  EnvVar: 'name value valueFrom:EnvVarSource',
  EnvVarSource:
    'fieldRef:ObjectFieldSelector resourceFieldRef:ResourceFieldSelector configMapKeyRef:ConfigMapKeySelector secretKeyRef:SecretKeySelector',
  ObjectFieldSelector: 'apiVersion fieldPath',
  ResourceFieldSelector: 'containerName resource divisor',
  ConfigMapKeySelector: 'name key optional',
  SecretKeySelector: 'name key optional',
  ResourceRequirements: 'limits:{} requests:{} claims:[ResourceClaim|name]',
  ResourceClaim: 'name',
  ContainerResizePolicy: 'resourceName restartPolicy',
  VolumeMount: 'name readOnly mountPath subPath mountPropagation subPathExpr',
  VolumeDevice: 'name devicePath',
  Probe:
    '...ProbeHandler initialDelaySeconds timeoutSeconds periodSeconds successThreshold failureThreshold terminationGracePeriodSeconds',
  ProbeHandler: 'exec:ExecAction httpGet:HTTPGetAction tcpSocket:TCPSocketAction grpc:GRPCAction',
  LifecycleHandler: 'exec:ExecAction httpGet:HTTPGetAction tcpSocket:TCPSocketAction sleep:SleepAction',
  Lifecycle: 'postStart:LifecycleHandler preStop:LifecycleHandler',
  ExecAction: 'command:[]',
  HTTPGetAction: 'path port host scheme httpHeaders:[HTTPHeader]',
  HTTPHeader: 'name value',
  TCPSocketAction: 'port host',
  GRPCAction: 'port service',
  SleepAction: 'seconds',
  SecurityContext:
    'capabilities:Capabilities privileged seLinuxOptions:SELinuxOptions windowsOptions:* runAsUser runAsGroup runAsNonRoot readOnlyRootFilesystem allowPrivilegeEscalation procMount seccompProfile:SeccompProfile',
  Capabilities: 'add:[] drop:[]',
  SELinuxOptions: 'user role type level',
  SeccompProfile: 'type localhostProfile',
  PodSecurityContext:
    'seLinuxOptions:SELinuxOptions windowsOptions:* runAsUser runAsGroup runAsNonRoot supplementalGroups:[] fsGroup sysctls:[Sysctl] fsGroupChangePolicy seccompProfile:SeccompProfile',
  Sysctl: 'name value',
  Affinity: 'nodeAffinity:* podAffinity:* podAntiAffinity:*',
  Toleration: 'key operator value effect tolerationSeconds',
  HostAlias: 'ip hostnames:[]',
  PodDNSConfig: 'nameservers:[] searches:[] options:[PodDNSConfigOption]',
  PodDNSConfigOption: 'name value',
  PodReadinessGate: 'conditionType',
  TopologySpreadConstraint:
    'maxSkew topologyKey whenUnsatisfiable labelSelector:LabelSelector minDomains nodeAffinityPolicy nodeTaintsPolicy matchLabelKeys:[]',
  PodOS: 'name',
  PodSchedulingGate: 'name',
  PodResourceClaim: 'name source!:*',
  PodStatus:
    'phase conditions:[PodCondition|type] message reason nominatedNodeName hostIP hostIPs:[HostIP|ip] podIP podIPs:[PodIP|ip] startTime initContainerStatuses:[ContainerStatus] containerStatuses:[ContainerStatus] qosClass ephemeralContainerStatuses:[ContainerStatus] resize resourceClaimStatuses:[PodResourceClaimStatus|name]',
  PodCondition: 'type status lastProbeTime lastTransitionTime reason message',
  HostIP: 'ip',
  PodIP: 'ip',
  PodResourceClaimStatus: 'name resourceClaimName',
  ContainerStatus:
    'name! state!:ContainerState lastState!:ContainerState ready! restartCount! image! imageID! containerID started allocatedResources:{} resources:ResourceRequirements',
  ContainerState:
    'waiting:ContainerStateWaiting running:ContainerStateRunning terminated:ContainerStateTerminated',
  ContainerStateWaiting: 'reason message',
  ContainerStateRunning: 'startedAt',
  ContainerStateTerminated: 'exitCode signal reason message startedAt finishedAt containerID',

  // apps/v1
  Deployment: 'metadata!:ObjectMeta spec!:DeploymentSpec status!:DeploymentStatus',
  DeploymentSpec:
    'replicas selector!:LabelSelector template!:PodTemplateSpec strategy!:DeploymentStrategy minReadySeconds revisionHistoryLimit paused progressDeadlineSeconds',
  DeploymentStrategy: 'type rollingUpdate:RollingUpdateDeployment',
  RollingUpdateDeployment: 'maxUnavailable maxSurge',
  DeploymentStatus:
    'observedGeneration replicas updatedReplicas readyReplicas availableReplicas unavailableReplicas conditions:[DeploymentCondition|type] collisionCount',
  DeploymentCondition: 'type status lastUpdateTime lastTransitionTime reason message',
  ReplicaSet: 'metadata!:ObjectMeta spec!:ReplicaSetSpec status!:ReplicaSetStatus',
  ReplicaSetSpec: 'replicas minReadySeconds selector!:LabelSelector template!:PodTemplateSpec',
  ReplicaSetStatus:
    'replicas fullyLabeledReplicas readyReplicas availableReplicas observedGeneration conditions:[ReplicaSetCondition|type]',
  ReplicaSetCondition: 'type status lastTransitionTime reason message',

  // batch/v1
  Job: 'metadata!:ObjectMeta spec!:JobSpec status!:JobStatus',
  JobSpec:
    'parallelism completions activeDeadlineSeconds podFailurePolicy:* backoffLimit backoffLimitPerIndex maxFailedIndexes selector:LabelSelector manualSelector template!:PodTemplateSpec ttlSecondsAfterFinished completionMode suspend podReplacementPolicy',
  JobStatus:
    'conditions:[JobCondition] startTime completionTime active succeeded failed terminating completedIndexes failedIndexes uncountedTerminatedPods:* ready',
  JobCondition: 'type status lastProbeTime lastTransitionTime reason message',

  // coordination.k8s.io/v1
  Lease: 'metadata!:ObjectMeta spec!:LeaseSpec',
  LeaseSpec: 'holderIdentity leaseDurationSeconds acquireTime renewTime leaseTransitions',

  // apiextensions.k8s.io/v1
  CustomResourceDefinition:
    'metadata!:ObjectMeta spec!:CustomResourceDefinitionSpec status!:CustomResourceDefinitionStatus',
  CustomResourceDefinitionSpec:
    'group names!:CustomResourceDefinitionNames scope versions!:[CustomResourceDefinitionVersion] conversion:CustomResourceConversion preserveUnknownFields',
  CustomResourceDefinitionNames: 'plural singular shortNames:[] kind listKind categories:[]',
  CustomResourceDefinitionVersion:
    'name served storage deprecated deprecationWarning schema:CustomResourceValidation subresources:CustomResourceSubresources additionalPrinterColumns:[CustomResourceColumnDefinition] selectableFields:[SelectableField]',
  CustomResourceValidation: 'openAPIV3Schema:JSONSchemaProps',
  CustomResourceSubresources: 'status:* scale:CustomResourceSubresourceScale',
  CustomResourceSubresourceScale: 'specReplicasPath statusReplicasPath labelSelectorPath',
  CustomResourceColumnDefinition: 'name type format description priority jsonPath',
  SelectableField: 'jsonPath',
  CustomResourceConversion: 'strategy webhook:*',
  CustomResourceDefinitionStatus:
    'conditions:[CustomResourceDefinitionCondition|type] acceptedNames!:CustomResourceDefinitionNames storedVersions:[]',
  CustomResourceDefinitionCondition: 'type status lastTransitionTime reason message',
  JSONSchemaProps:
    'id $schema $ref description type format title default:raw maximum exclusiveMaximum minimum exclusiveMinimum maxLength minLength pattern maxItems minItems uniqueItems multipleOf enum:raw maxProperties minProperties required:[] items:JSONSchemaPropsOrArray allOf:[JSONSchemaProps] oneOf:[JSONSchemaProps] anyOf:[JSONSchemaProps] not:JSONSchemaProps properties:{JSONSchemaProps} additionalProperties:JSONSchemaPropsOrBool patternProperties:{JSONSchemaProps} dependencies:* additionalItems:JSONSchemaPropsOrBool definitions:{JSONSchemaProps} externalDocumentation:* example:raw nullable x-kubernetes-preserve-unknown-fields x-kubernetes-embedded-resource x-kubernetes-int-or-string x-kubernetes-list-map-keys:[] x-kubernetes-list-type x-kubernetes-map-type x-kubernetes-validations:[ValidationRule|rule]',
  ValidationRule: 'rule message messageExpression reason fieldPath optionalOldSelf',
};

/** `+structType=atomic`: owned and replaced as a whole. */
const atomicStructs = new Set(['LabelSelector', 'ObjectReference', 'LocalObjectReference']);

/** Fields that may hold either a struct or something else (JSONSchemaPropsOr…): struct shape for objects. */
const eitherTypes: Record<string, string> = {
  JSONSchemaPropsOrArray: 'JSONSchemaProps',
  JSONSchemaPropsOrBool: 'JSONSchemaProps',
};

/** Root struct of each kind, by `group/Kind` ('' group for core). */
const kinds: Record<string, string> = {
  '/ConfigMap': 'ConfigMap',
  '/Secret': 'Secret',
  '/Namespace': 'Namespace',
  '/ServiceAccount': 'ServiceAccount',
  '/Endpoints': 'Endpoints',
  '/Event': 'Event',
  '/Service': 'Service',
  '/Node': 'Node',
  '/Pod': 'Pod',
  'apps/Deployment': 'Deployment',
  'apps/ReplicaSet': 'ReplicaSet',
  'batch/Job': 'Job',
  'coordination.k8s.io/Lease': 'Lease',
  'apiextensions.k8s.io/CustomResourceDefinition': 'CustomResourceDefinition',
};

export type GoType =
  | { k: 'scalar' }
  | { k: 'any' }
  | { k: 'raw' }
  | { k: 'struct'; s: GoStruct }
  | { k: 'map'; elem: GoType; atomic: boolean }
  | { k: 'list'; elem: GoType; list: 'atomic' | 'set' }
  | { k: 'list'; elem: GoType; list: 'map'; keys: string[]; defaults: Record<string, unknown> };

export interface GoField {
  name: string;
  type: GoType;
  /** Present in Go's zero value of the enclosing struct. */
  zero: boolean;
}

export interface GoStruct {
  name: string;
  fields: GoField[];
  byName: Map<string, GoField>;
  atomic: boolean;
}

export const scalar: GoType = { k: 'scalar' };
export const anyJson: GoType = { k: 'any' };
const raw: GoType = { k: 'raw' };

const parsed = new Map<string, GoStruct>();

function structNamed(name: string): GoStruct {
  const target = eitherTypes[name] ?? name;
  let s = parsed.get(target);
  if (s) return s;
  const spec = structs[target];
  if (spec === undefined) throw new Error(`go-types: no struct ${target}`);
  s = { name: target, fields: [], byName: new Map(), atomic: atomicStructs.has(target) };
  parsed.set(target, s); // before parsing fields: types are recursive (JSONSchemaProps)
  for (const token of spec.split(/\s+/).filter(Boolean)) {
    if (token.startsWith('...')) {
      for (const f of structNamed(token.slice(3)).fields) addField(s, f);
      continue;
    }
    const colon = token.indexOf(':');
    const head = colon < 0 ? token : token.slice(0, colon);
    const zero = head.endsWith('!');
    addField(s, {
      name: zero ? head.slice(0, -1) : head,
      zero,
      type: typeOf(colon < 0 ? '' : token.slice(colon + 1)),
    });
  }
  return s;
}

function addField(s: GoStruct, f: GoField): void {
  s.fields.push(f);
  s.byName.set(f.name, f);
}

function typeOf(spec: string): GoType {
  if (spec === '') return scalar;
  if (spec === '*') return anyJson;
  if (spec === 'raw') return raw;
  if (spec.startsWith('{')) {
    const atomic = spec.endsWith('@');
    const inner = spec.slice(1, atomic ? -2 : -1);
    return { k: 'map', elem: inner ? lazyStruct(inner) : scalar, atomic };
  }
  if (spec.startsWith('[')) {
    const inner = spec.slice(1, -1);
    const bar = inner.indexOf('|');
    if (bar < 0) return { k: 'list', elem: inner ? lazyStruct(inner) : scalar, list: 'atomic' };
    const elem = inner.slice(0, bar) ? lazyStruct(inner.slice(0, bar)) : scalar;
    const rest = inner.slice(bar + 1);
    if (rest === 'set') return { k: 'list', elem, list: 'set' };
    const keys: string[] = [];
    const defaults: Record<string, unknown> = {};
    for (const k of rest.split(',')) {
      const [name, def] = k.split('=') as [string, string?];
      keys.push(name);
      if (def !== undefined) defaults[name] = def;
    }
    return { k: 'list', elem, list: 'map', keys, defaults };
  }
  return lazyStruct(spec);
}

/** A struct type whose fields are parsed on first use (the table has cycles). */
function lazyStruct(name: string): GoType {
  let s: GoStruct | undefined;
  return {
    k: 'struct',
    get s() {
      return (s ??= structNamed(name));
    },
  } as GoType;
}

const rootCache = new Map<string, GoType | null>();

/** The Go type of a built-in kind, or undefined when the table does not describe it. */
export function builtinType(group: string, kind: string): GoType | undefined {
  const key = `${group}/${kind}`;
  let t = rootCache.get(key);
  if (t === undefined) {
    const name = kinds[key];
    t = name ? { k: 'struct', s: structNamed(name) } : null;
    rootCache.set(key, t);
  }
  return t ?? undefined;
}

/** metav1.ObjectMeta (the `metadata` of every kind, custom resources included). */
export const objectMetaType: GoType = { k: 'struct', s: structNamed('ObjectMeta') };
