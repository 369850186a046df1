import { describe, expect, it } from 'vitest';
import {
  ExpressionSyntaxError,
  findExpressionFields,
  findPlainLeaves,
  pathSegments,
  scanString,
  templateExpression,
} from './extract.js';

describe('${} scanning (kro parser/cel.go rules)', () => {
  it('detects standalone expressions', () => {
    expect(scanString('${schema.spec.name}')).toEqual({
      expressions: ['schema.spec.name'],
      literals: ['', ''],
      standalone: true,
    });
  });
  it('treats surrounding whitespace as a template', () => {
    const s = scanString('${a} ')!;
    expect(s.standalone).toBe(false);
    expect(templateExpression(s)).toBe('"" + (a) + " "');
  });
  it('builds string templates as concatenations', () => {
    expect(templateExpression(scanString('a-${x}-${y}')!)).toBe('"a-" + (x) + "-" + (y)');
    expect(templateExpression(scanString('${x}${y}')!)).toBe('"" + (x) + (y)');
  });
  it('counts braces and ignores braces inside double-quoted strings', () => {
    expect(scanString('${{"a": 1}.a}')!.expressions).toEqual(['{"a": 1}.a']);
    expect(scanString('${"}" + x}')!.expressions).toEqual(['"}" + x']);
    expect(scanString('${"\\"}" + x}')!.expressions).toEqual(['"\\"}" + x']);
  });
  it('does not track single quotes (a quoted } ends the expression early)', () => {
    expect(scanString("${'}' + x}")!.expressions).toEqual(["'"]);
  });
  it('rejects nested expressions unless inside a string literal', () => {
    expect(() => scanString('${a${b}}')).toThrow(ExpressionSyntaxError);
    expect(() => scanString('${a${b}}')).toThrow(
      'nested expressions are not allowed unless inside string literals',
    );
    expect(scanString('${"${VAR}"}')!.expressions).toEqual(['"${VAR}"']);
  });
  it('keeps an unclosed ${ as literal text', () => {
    expect(scanString('price: ${')).toBeUndefined();
    expect(scanString('${a} and ${b')!.literals).toEqual(['', ' and ${b']);
  });
  it('returns undefined for plain strings', () => {
    expect(scanString('plain $ { text }')).toBeUndefined();
  });
});

describe('field walking', () => {
  it('reports kro-style paths, with dotted keys quoted', () => {
    const found = findExpressionFields({
      spec: { containers: [{ image: '${schema.spec.image}' }] },
      metadata: { annotations: { 'kro.example/x': 'v-${a}' } },
    });
    expect(found.map((f) => f.path)).toEqual([
      'spec.containers[0].image',
      'metadata.annotations["kro.example/x"]',
    ]);
    expect(pathSegments('metadata.annotations["kro.example/x"]')).toEqual([
      'metadata',
      'annotations',
      'kro.example/x',
    ]);
    expect(pathSegments('spec.containers[0].image')).toEqual(['spec', 'containers', 0, 'image']);
  });
  it('lists leaves without expressions', () => {
    expect(findPlainLeaves({ a: '${x}', b: { c: 'plain', d: 3 } }, 'status')).toEqual([
      'status.b.c',
      'status.b.d',
    ]);
  });
});
