/**
 * Embedded Milo (cluster option `milo: true`, `kubeperf cluster start --milo`): the
 * resourcemanager.miloapis.com CRDs, Milo's project webhooks, and its two path scopes:
 * - `/apis/resourcemanager.miloapis.com/v1alpha1/organizations/<org>/control-plane`: the root
 *   store seen with the organization as parent (projects are created and deleted there; a list of
 *   projects is limited to the organization's, as Milo's list constraint does);
 * - `/apis/resourcemanager.miloapis.com/v1alpha1/projects/<p>/control-plane`: the project's own
 *   control plane, an isolated store created on first use, 404 while the Project does not exist,
 *   dropped when it is deleted. It starts without namespaces: the project controller creates
 *   `default` (src/controllers/project).
 * The root also gets the `milo-system` namespace, where Milo's runner keeps its `perf-results`.
 */
import type { ApiContext, ApiRequest } from '../api/context.js';
import { createAsApiServer } from '../api/bootstrap.js';
import { splitTopLevel } from '../api/selectors.js';
import type { ScopeRouter } from '../scopes/router.js';
import { installProjectAdmission } from './admission.js';
import { MILO_GROUP, ORGANIZATION_NAME_LABEL, organizationCrd, projectCrd } from './crds.js';

export const ORG_SCOPE_PREFIX = `/apis/${MILO_GROUP}/v1alpha1/organizations/{name}/control-plane`;
export const PROJECT_SCOPE_PREFIX = `/apis/${MILO_GROUP}/v1alpha1/projects/{name}/control-plane`;

/** Milo's OrganizationProjectListConstraintDecorator: lists of projects only see the org's. */
function constrainProjectList(req: ApiRequest, org: string): void {
  const watch = req.query.get('watch');
  if (req.rt.storageKey !== `projects.${MILO_GROUP}` || req.method !== 'GET' || req.name) return;
  if (watch === 'true' || watch === '1') return;
  const keyOf = (r: string) => /^!?\s*([^\s=!<>(]+)/.exec(r)?.[1];
  const kept = splitTopLevel(req.query.get('labelSelector') ?? '')
    .map((r) => r.trim())
    .filter((r) => r && keyOf(r) !== ORGANIZATION_NAME_LABEL);
  req.query.set('labelSelector', [`${ORGANIZATION_NAME_LABEL}=${org}`, ...kept].join(','));
}

export function installMilo(root: ApiContext, scopes: ScopeRouter): void {
  createAsApiServer(
    root,
    'apiextensions.k8s.io/v1',
    'customresourcedefinitions',
    structuredClone(organizationCrd),
  );
  createAsApiServer(
    root,
    'apiextensions.k8s.io/v1',
    'customresourcedefinitions',
    structuredClone(projectCrd),
  );
  createAsApiServer(root, 'v1', 'namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'milo-system' },
  });
  installProjectAdmission(root);
  scopes.add({
    kind: 'organization',
    prefix: ORG_SCOPE_PREFIX,
    storage: 'root',
    decorate: constrainProjectList,
  });
  scopes.add({
    kind: 'project',
    prefix: PROJECT_SCOPE_PREFIX,
    storage: 'isolated',
    owner: { group: MILO_GROUP, plural: 'projects' },
  });
}
