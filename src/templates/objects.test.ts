import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { compileTemplate } from './objects.js';

const vars = { Iteration: 3, Replica: 2, JobName: 'api-intensive', UUID: 'u-1', RunID: 'r-1' };

describe('Go templates as kube-burner renders them', () => {
  it('renders a real kube-burner deployment template exactly like kube-burner (expected output written by hand)', () => {
    // Adapted from kube-burner examples/workloads/api-intensive/templates/deployment.yaml.
    const tpl = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-intensive-{{.Replica}}
  labels:
    group: load
    svc: api-intensive-{{.Replica}}
spec:
  replicas: 1
  selector:
    matchLabels:
      name: api-intensive-{{.Replica}}
  template:
    metadata:
      labels:
        group: load
        name: api-intensive-{{.Replica}}
    spec:
      containers:
      - image: registry.k8s.io/pause:3.1
        name: api-intensive-{{.Replica}}
        env:
        - name: ITERATION
          value: "{{.Iteration}}"
        - name: NEXT
          value: "{{add .Iteration 1}}"
`;
    const expected = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api-intensive-2
  labels:
    group: load
    svc: api-intensive-2
spec:
  replicas: 1
  selector:
    matchLabels:
      name: api-intensive-2
  template:
    metadata:
      labels:
        group: load
        name: api-intensive-2
    spec:
      containers:
      - image: registry.k8s.io/pause:3.1
        name: api-intensive-2
        env:
        - name: ITERATION
          value: "3"
        - name: NEXT
          value: "4"
`;
    expect(compileTemplate(tpl, 'deployment.yaml').renderText(vars)).toBe(expected);
  });

  it('supports trim markers, if/else, range over until with variables, pipelines and sprig helpers', () => {
    const tpl = `data:
{{- range $i, $v := until 3 }}
  key-{{ $i }}: {{ mul $v 10 | quote }}
{{- end }}
  mode: {{ if eq (mod .Iteration 2) 0 }}even{{ else if gt .Iteration 2 }}big-odd{{ else }}odd{{ end }}
  size: {{ .missing | default "small" }}
  yaml: {{ toYaml .Obj | nindent 4 }}
  list: {{ list 1 2 3 | join "," }}
  fmt: {{ printf "%s-%03d" .JobName .Iteration }}
`;
    const out = compileTemplate(tpl, 't.yaml').renderText({ ...vars, missing: '', Obj: { a: 1, b: ['x'] } });
    expect(out).toBe(`data:
  key-0: "0"
  key-1: "10"
  key-2: "20"
  mode: big-odd
  size: small
  yaml: 
    a: 1
    b:
      - x
  list: 1,2,3
  fmt: api-intensive-003
`);
  });

  it('renders multiple documents into objects and randAlphaNum has the requested length', () => {
    const t = compileTemplate(
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a-{{.Iteration}}\ndata:\n  r: {{randAlphaNum 12}}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b-{{.Replica}}\n`,
      'multi.yaml',
    );
    const objs = t.renderObjects(vars);
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ConfigMap/a-3', 'Secret/b-2']);
    expect(String((objs[0] as unknown as { data: { r: string } }).data.r)).toMatch(/^[A-Za-z0-9]{12}$/);
  });

  it('rejects unsupported syntax and unknown functions at compile time with file:line:col', () => {
    const bad = (text: string) => {
      try {
        compileTemplate(text, 'obj.yaml');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        const err = e as InputError;
        return [err.message, ...err.problems].join('\n');
      }
      throw new Error('expected an InputError');
    };
    expect(bad('a: 1\nb: {{ template "x" . }}\n')).toContain('obj.yaml:2:7: "template" is not supported');
    expect(bad('a: 1\n\nc: {{ frobnicate .Iteration }}\n')).toContain(
      'obj.yaml:3:7: function "frobnicate" not defined',
    );
    expect(bad('a: {{ if .X }}yes\n')).toContain('obj.yaml:1:4: unexpected EOF');
    expect(bad('a: {{ .X \n')).toContain('obj.yaml:1:4: unclosed action');
  });

  it('a missing variable is a render error naming the key', () => {
    const t = compileTemplate('name: {{.Iteraton}}\n', 'x.yaml');
    expect(() => t.renderText(vars)).toThrow(/x\.yaml:1:9: map has no entry for key "Iteraton"/);
  });
});
