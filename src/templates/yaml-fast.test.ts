import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_SCHEMA, dump, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { parseSimpleYaml } from './yaml-fast.js';

const reference = (t: string) => loadAll(t, undefined, { schema: CORE_SCHEMA });

/** Same documents as js-yaml, or (outside the subset) no answer at all, never a different one. */
function agrees(text: string): 'fast' | 'fallback' {
  const fast = parseSimpleYaml(text);
  if (fast === undefined) return 'fallback';
  expect(fast, text).toEqual(reference(text));
  return 'fast';
}

describe('the fast YAML path', () => {
  it('reads what object templates render, exactly as js-yaml does', () => {
    const docs = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: job-1-1\n  labels:\n    app: bench\n    app.kubernetes.io/name: x\ndata:\n  iteration: "1"\n  payload: "abc"\n  key-0: "value-1-0"\n',
      "a: 1\nb: 0x1F\nc: 1e3\nd: .5\ne: -7\nf: ~\ng: null\nh: true\ni: yes\nj: \"2\"\nk: 'it''s'\nl:\nm: 010\nn: +12\no: .inf\np: 1_000\n",
      'spec:\n  containers:\n  - name: a\n    image: "registry.k8s.io/pause:3.9"\n    ports:\n      - containerPort: 80\n        protocol: TCP\n  - name: b\n    args:\n    - --flag=1\n    - "--quoted"\n    -\n      nested: 1\n',
      '---\na: 1\n---\nb: 2 # comment\n# only a comment\n---\n',
      '# c\n---\n# x\n',
      'url: http://x:8080/p\nport: "8080"\n8080: n\ntrue: t\nnote: a#b\nempty: ""\n  # deeper comment\nlast: "é \\u00e9 \\"q\\" \\\\ \\/"\n',
      '- a\n- - b\n  - c\n- k: v\n  l: w\n',
      '',
    ];
    for (const d of docs) expect(agrees(d), d).toBe('fast');
  });

  it('leaves everything outside its subset to js-yaml', () => {
    for (const d of [
      'a: [1, 2]',
      'a: {b: 1}',
      'a: &x 1\nb: *x',
      'a: !!str 1',
      'a: |\n  text\n',
      'a: >-\n  folded\n',
      'a: b\n  continued plain scalar\n',
      '"quoted key": 1',
      'a: "\\x41"',
      'a: 1\na: 2',
      'a:\tb',
      'a: b: c',
      'k: - x',
      '%YAML 1.2\n---\na: 1',
      'a: 1\n...\n',
      '<<: {a: 1}',
    ])
      expect(agrees(d), d).toBe('fallback');
  });

  it('agrees with js-yaml on 2,000 random objects dumped in block style', () => {
    const rand = seededRandom(42);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
    const scalars = [
      'x',
      'two words',
      '1',
      '1.5',
      'true',
      'null',
      '',
      'a: b',
      "it's",
      'é',
      '0x10',
      '-',
      '#x',
      'a #b',
      '  pad',
      'yes',
      'x"y',
      '\\',
    ];
    const value = (depth: number): unknown => {
      const r = rand();
      if (depth > 3 || r < 0.5) return pick<unknown>([...scalars, 7, -3, 2.5, true, false, null]);
      if (r < 0.75) return Array.from({ length: 1 + Math.floor(rand() * 3) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let k = 0; k < 1 + Math.floor(rand() * 4); k++)
        o[pick(['a', 'b.c/d', 'key-1', 'x_y', '8080', 'name'])] = value(depth + 1);
      return o;
    };
    let fast = 0;
    for (let i = 0; i < 2000; i++) {
      const text = dump(value(0), { schema: CORE_SCHEMA, flowLevel: -1 });
      if (agrees(text) === 'fast') fast++;
    }
    expect(fast).toBeGreaterThan(500);
  });

  it('gives js-yaml’s result for every object template this repository ships, rendered', async () => {
    const { compileTemplate } = await import('./objects.js');
    for (const dir of ['examples/templates', 'examples/api-intensive/templates'])
      for (const f of readdirSync(dir)) {
        const t = compileTemplate(readFileSync(join(dir, f), 'utf8'), f);
        const vars = {
          Iteration: 3,
          Replica: 1,
          JobName: 'j',
          UUID: 'u',
          RunID: 'r',
          Name: 'n',
          Namespace: 'ns',
          size: 16,
        };
        agrees(t.renderText(vars));
      }
  });
});
