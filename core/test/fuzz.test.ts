/** Random mutations and random bytes: parse + validate + graph never throw, stay fast, stay in range. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { structureKey, topologicalOrder } from '../graph/algorithms';
import type { Finding } from '../model';
import { validate } from '../validate/validate';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'validate');
const seeds = fs
  .readdirSync(fixtures)
  .map((d) => fs.readFileSync(path.join(fixtures, d, 'pipeline.yaml'), 'utf8'));
const snippets = [
  '${',
  '}',
  '[',
  ']',
  '{',
  ':',
  '- ',
  '\t',
  '\r\n',
  '*a',
  '&a ',
  '<<: *a\n',
  '"',
  "'",
  '#',
  '|\n',
  '\0',
  '\uFFFD',
  '${params.',
  'needs: [',
  '  ',
  '\n',
  '? ',
  '!!binary ',
  '%YAML 1.2\n---\n',
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(text: string, r: () => number): string {
  let out = text;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (out.length + 1));
    const op = r();
    if (op < 0.4)
      out = out.slice(0, at) + snippets[Math.floor(r() * snippets.length)] + out.slice(at);
    else if (op < 0.7) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(r() * 10));
    else if (op < 0.85) out = out.slice(0, at) + out.slice(Math.floor(r() * out.length));
    else out = out.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + out.slice(at);
  }
  return out;
}

function check(text: string): void {
  const started = performance.now();
  const v = validate(text, { host: { exists: () => false, globMatches: () => false } });
  topologicalOrder(v.graph);
  structureKey(v.graph);
  const ms = performance.now() - started;
  assert.ok(ms < 1000, `took ${ms} ms`);
  const inRange = (f: { range: { start: number; end: number } }) =>
    f.range.start >= 0 && f.range.start <= f.range.end && f.range.end <= text.length;
  for (const f of v.findings as Finding[]) {
    assert.ok(inRange(f), `range out of document: ${JSON.stringify(f)} in ${JSON.stringify(text)}`);
    for (const rel of f.related ?? []) assert.ok(inRange(rel));
  }
}

test('fuzz: 3,000 mutations of valid and invalid pipelines', () => {
  const r = rng(42);
  for (let i = 0; i < 3000; i++) check(mutate(seeds[i % seeds.length] ?? '', r));
});

test('fuzz: random bytes and hostile documents', () => {
  const r = rng(7);
  for (let i = 0; i < 500; i++) {
    const len = Math.floor(r() * 400);
    check(Array.from({ length: len }, () => String.fromCharCode(Math.floor(r() * 256))).join(''));
  }
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 0; i < 9; i++)
    bomb.push(
      `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
    );
  check(
    `pipeline: bomb\n${bomb.join('\n')}\ntasks:\n  t:\n    run: x\n    needs: *j\n    inputs: *j\n`,
  );
  check('pipeline: x\ntasks:\n  a: &t\n    run: x\n    <<: *t\n');
  check('pipeline: ' + 'x'.repeat(2_000_000) + '\ntasks: {}\n');
  check('\uFEFFpipeline: bom\ntasks:\n  a: {run: x}\n');
  check('['.repeat(5000));
  check('- '.repeat(3000) + 'x');
});
