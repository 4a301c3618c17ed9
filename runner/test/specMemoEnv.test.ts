/** Review of d66bf8a: the declared env is filled once per task (SpecMemo), not again for every partition instance. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePipeline } from '../../core/parse/parse';
import { resolveCheckSpec, resolveTaskSpec, type SpecMemo } from '../taskSpec';

const text = `pipeline: m
env:
  DATA: "\${env.REVIEW7_ROOT}/data"
tasks:
  t:
    env: { OUT: "\${env.DATA}/out" }
    run: echo "\${partition}" > \${env.OUT}/x
    outputs: ["out/\${partition}.csv"]
`;

/** A process env that counts how often REVIEW7_ROOT is read. */
function countingEnv(): { env: NodeJS.ProcessEnv; reads: () => number } {
  let n = 0;
  const env = new Proxy({ REVIEW7_ROOT: '/r' } as NodeJS.ProcessEnv, {
    get(target, key) {
      if (key === 'REVIEW7_ROOT') n++;
      return target[key as string];
    },
  });
  return { env, reads: () => n };
}

test('checking 1,000 instances of one task reads the declared env once (the memo), as before ${env.X} saw env:', () => {
  const p = parsePipeline(text).pipeline;
  const task = p.tasks[0]!;
  const { env, reads } = countingEnv();
  const memo: SpecMemo = {};
  let spec;
  for (let i = 0; i < 1000; i++)
    spec = resolveCheckSpec(p, task, {
      dir: '/w',
      params: {},
      env,
      memo,
      partition: { partition: `2024-01-${i}` },
    });
  assert.deepEqual(spec!.envKey, { DATA: '/r/data', OUT: '/r/data/out' });
  assert.ok(reads() <= 2, `REVIEW7_ROOT read ${reads()} times`);
});

test('a task spec still gets its filled env, and ${env.X} of a declared name in the command', () => {
  const p = parsePipeline(text).pipeline;
  const { env } = countingEnv();
  const s = resolveTaskSpec(p, p.tasks[0]!, {
    dir: '/w',
    params: {},
    env,
    memo: {},
    partition: { partition: '2024-01-01' },
  });
  assert.equal(s.env.DATA, '/r/data');
  assert.equal(s.env.OUT, '/r/data/out');
  assert.ok(Object.values(s.env).includes('/r/data/out'));
  assert.deepEqual(s.missing, []);
});
