/** Random mutations and random bytes: parse + validate + graph never throw, stay fast, stay in range. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { structureKey, topologicalOrder } from '../graph/algorithms';
import type { Finding } from '../model';
import { validate } from '../validate/validate';
import { mutate, rng, seeds } from './mutations';

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
