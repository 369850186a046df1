/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition validation (apiextensions-apiserver
 * pkg/apis/apiextensions/validation): the name must be `<plural>.<group>`, group, scope, versions
 * (names, exactly one storage version, schemas with an object root), names (DNS-1035 labels,
 * required kinds), and every `x-kubernetes-validations` rule must compile.
 */
import { parse as parseCel } from '@marcbachmann/cel-js';
import {
  child,
  goQuote,
  GoText,
  index,
  invalid,
  key,
  notSupported,
  required,
  type ErrorList,
} from './field.js';
import type { KindValidator } from './kind.js';
import { fieldImmutable, validateMetaUpdate, validateObjectMeta } from './meta.js';
import { isDNS1035Label, isDNS1123Subdomain, nameIsDNSSubdomain } from './names.js';
import { isObj, type Obj, specOf, str } from './values.js';

const schemaTypes = ['array', 'boolean', 'integer', 'number', 'object', 'string'];

/** cel-go's compile error, as near as our parser's wording allows. */
function celCompileError(rule: string): string | undefined {
  try {
    parseCel(rule);
    return undefined;
  } catch (e) {
    const text = e instanceof Error ? e.message : String(e);
    const lines = text.split('\n');
    const caret = lines.find((l) => /^\s*\^\s*$/.test(l));
    const source = lines.find((l) => /\|\s/.test(l));
    const col = caret && source ? caret.indexOf('^') - source.indexOf('|') - 2 : 0;
    return `compilation failed: ERROR: <input>:1:${Math.max(1, col + 1)}: Syntax error: ${lines[0]}`;
  }
}

const goRule = (r: Obj): GoText =>
  new GoText(
    `apiextensions.ValidationRule{Rule:${goQuote(str(r.rule))}, Message:${goQuote(str(r.message))}, MessageExpression:${goQuote(str(r.messageExpression))}, Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:${goQuote(str(r.fieldPath))}}`,
  );

function validateSchemaNode(s: unknown, path: string, root: boolean, errs: ErrorList): void {
  if (!isObj(s)) return;
  const type = s.type;
  if (type !== undefined && !schemaTypes.includes(String(type)))
    errs.push(notSupported(child(path, 'type'), type, schemaTypes));
  if (root) {
    if (!type) errs.push(required(child(path, 'type'), 'must not be empty at the root'));
    else if (type !== 'object') errs.push(invalid(child(path, 'type'), type, 'must be object at the root'));
  }
  const rules = Array.isArray(s['x-kubernetes-validations'])
    ? (s['x-kubernetes-validations'] as unknown[])
    : [];
  rules.forEach((r, i) => {
    const rp = child(index(child(path, 'x-kubernetes-validations'), i), 'rule');
    const rule = isObj(r) ? r : {};
    if (!str(rule.rule)) {
      errs.push(required(rp, 'rule is not specified'));
      return;
    }
    const e = celCompileError(str(rule.rule));
    if (e) errs.push(invalid(rp, goRule(rule), e));
  });
  if (isObj(s.properties))
    for (const [k, v] of Object.entries(s.properties))
      validateSchemaNode(v, key(child(path, 'properties'), k), false, errs);
  if (isObj(s.items)) validateSchemaNode(s.items, child(path, 'items'), false, errs);
  if (isObj(s.additionalProperties))
    validateSchemaNode(s.additionalProperties, child(path, 'additionalProperties'), false, errs);
}

const dns1035 = (v: string): string => isDNS1035Label(v).join(',');

function validateNames(n: Obj, errs: ErrorList): void {
  const p = 'spec.names';
  for (const f of ['plural', 'singular'] as const) {
    const v = str(n[f]);
    if (v && dns1035(v)) errs.push(invalid(child(p, f), v, dns1035(v)));
  }
  for (const f of ['kind', 'listKind'] as const) {
    const v = str(n[f]);
    if (v && dns1035(v.toLowerCase()))
      errs.push(
        invalid(
          child(p, f),
          v,
          `may have mixed case, but should otherwise match: ${dns1035(v.toLowerCase())}`,
        ),
      );
  }
  (Array.isArray(n.shortNames) ? n.shortNames : []).forEach((s, i) => {
    if (dns1035(String(s)))
      errs.push(invalid(index(child(p, 'shortNames'), i), String(s), dns1035(String(s))));
  });
  if (str(n.kind) && n.kind === n.listKind)
    errs.push(invalid(child(p, 'listKind'), n.listKind, 'kind and listKind may not be the same'));
  (Array.isArray(n.categories) ? n.categories : []).forEach((c, i) => {
    if (dns1035(String(c)))
      errs.push(invalid(index(child(p, 'categories'), i), String(c), dns1035(String(c))));
  });
}

function validateCrd(o: Obj): ErrorList {
  const spec = specOf(o);
  const names = isObj(spec.names) ? spec.names : {};
  const group = str(spec.group);
  const requiredName = `${str(names.plural)}.${group}`;
  const errs = validateObjectMeta(o.metadata as Obj, {
    namespaced: false,
    nameFn: (n, prefix) => [
      ...nameIsDNSSubdomain(n, prefix),
      ...(n !== requiredName ? ['must be spec.names.plural+"."+spec.group'] : []),
    ],
    kubeFinalizers: false,
  });
  if (!group) errs.push(required('spec.group'));
  else if (isDNS1123Subdomain(group).length)
    errs.push(invalid('spec.group', group, isDNS1123Subdomain(group).join(',')));
  else if (group.split('.').length < 2)
    errs.push(invalid('spec.group', group, 'should be a domain with at least one dot'));
  const scope = str(spec.scope);
  if (!scope) errs.push(required('spec.scope'));
  else if (scope !== 'Cluster' && scope !== 'Namespaced')
    errs.push(notSupported('spec.scope', scope, ['Cluster', 'Namespaced']));
  const versions = Array.isArray(spec.versions)
    ? (spec.versions as unknown[]).map((v) => (isObj(v) ? v : {}))
    : [];
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const p = index('spec.versions', i);
    const name = str(v.name);
    if (seen.has(name)) unique = false;
    seen.add(name);
    if (dns1035(name)) errs.push(invalid(child(p, 'name'), name, dns1035(name)));
    const schema = isObj(v.schema) ? v.schema.openAPIV3Schema : undefined;
    if (!isObj(schema)) errs.push(required(child(p, 'schema', 'openAPIV3Schema'), 'schemas are required'));
    else validateSchemaNode(schema, child(p, 'schema', 'openAPIV3Schema'), true, errs);
  });
  const versionsText = new GoText(
    `[]apiextensions.CustomResourceDefinitionVersion{${versions.map((v) => `apiextensions.CustomResourceDefinitionVersion{Name:${goQuote(str(v.name))}, Served:${v.served === true}, Storage:${v.storage === true}, …}`).join(', ')}}`,
  );
  if (!unique) errs.push(invalid('spec.versions', versionsText, 'must contain unique version names'));
  if (versions.filter((v) => v.storage === true).length !== 1)
    errs.push(
      invalid('spec.versions', versionsText, 'must have exactly one version marked as storage version'),
    );
  validateNames(names, errs);
  for (const f of ['plural', 'singular', 'kind', 'listKind'])
    if (!str(names[f])) errs.push(required(child('spec.names', f)));
  return errs;
}

export const customResourceDefinitions: KindValidator = {
  create: validateCrd,
  update(o, old) {
    const errs = validateMetaUpdate(o, old, false);
    const s = specOf(o);
    const os = specOf(old);
    if (s.group !== os.group) errs.push(invalid('spec.group', s.group ?? '', fieldImmutable));
    return errs.concat(validateCrd(o));
  },
};
