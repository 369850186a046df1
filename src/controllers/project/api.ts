/**
 * Milo's resourcemanager API as its clients see it: resource mappings, the organization and
 * project control-plane paths (appended to a server URL), labels and the project finalizer. The
 * project controller and the `milo` phase use these; the embedded control plane serves them
 * (src/cluster/milo).
 */
import type { ResourceMapping } from '../../kube/discovery.js';

export const MILO_GROUP = 'resourcemanager.miloapis.com';
export const MILO_API_VERSION = `${MILO_GROUP}/v1alpha1`;
export const PROJECT_FINALIZER = `${MILO_GROUP}/project-controller`;
export const ORGANIZATION_NAME_LABEL = `${MILO_GROUP}/organization-name`;
/** Label of the namespace the project controller creates in each project. */
export const PROJECT_DEFAULT_LABEL = 'miloapis.com/project-default';

const milo = (resource: string, kind: string): ResourceMapping => ({
  group: MILO_GROUP,
  version: 'v1alpha1',
  resource,
  kind,
  namespaced: false,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
});
const core = (resource: string, kind: string, namespaced: boolean): ResourceMapping => ({
  group: '',
  version: 'v1',
  resource,
  kind,
  namespaced,
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
});

export const organizations = milo('organizations', 'Organization');
export const projects = milo('projects', 'Project');
export const secrets = core('secrets', 'Secret', true);
export const configmaps = core('configmaps', 'ConfigMap', true);

/** Path of an organization's control plane (create and delete its projects there). */
export const organizationScope = (org: string) =>
  `/apis/${MILO_API_VERSION}/organizations/${encodeURIComponent(org)}/control-plane`;
/** Path of a project's own control plane (its namespaces, Secrets, ConfigMaps). */
export const projectScope = (project: string) =>
  `/apis/${MILO_API_VERSION}/projects/${encodeURIComponent(project)}/control-plane`;
