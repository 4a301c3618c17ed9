/** What a large pipeline's load keeps for a run (issue 16, memory): the cached parse's model, nothing more, and state.json text unchanged. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadPipeline } from '../load';
import { statePaths } from '../records/paths';
import { StateStore } from '../state/store';
import { cli, tempDir } from './cliHelpers';

/** ~700 tasks with env, params, needs, inputs and outputs: above the parse cache's 64 KB. */
function largePipeline(n: number, extra = ''): string {
  const lines = ['pipeline: big', 'params:', '  day: "d1"', 'tasks:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  t${i}:`, `    run: mkdir -p out && echo '\${params.day}' > out/t${i}.txt`);
    if (i % 3 === 0) lines.push('    env: {LANG: C}');
    if (i % 10 > 0) lines.push(`    needs: [t${i - 1}]`, `    inputs: [out/t${i - 1}.txt]`);
    lines.push(`    outputs: [out/t${i}.txt]`);
  }
  return lines.join('\n') + '\n' + extra;
}

/** The model without ranges, as JSON (what a run reads of it). */
function model(l: ReturnType<typeof loadPipeline>): unknown {
  const ranges = new Set(['range', 'keyRange', 'fields', 'paramRanges']);
  return JSON.parse(
    JSON.stringify(
      { tasks: l.pipeline.tasks, edges: l.graph.edges, incoming: l.graph.incoming },
      (k, v: unknown) => (ranges.has(k) ? undefined : v),
    ),
  );
}

test('a clean large file: the first load keeps no source ranges and equals the cached load', () => {
  const dir = tempDir();
  const file = path.join(dir, 'p.pipeline.yaml');
  fs.writeFileSync(file, largePipeline(700));
  const first = loadPipeline(file);
  assert.equal(first.findings.length, 0);
  const t = first.pipeline.tasks[1]!;
  assert.deepEqual(
    [t.keyRange, t.range, t.needs[0]!.range, t.outputs[0]!.range],
    [
      { start: 0, end: 0 },
      { start: 0, end: 0 },
      { start: 0, end: 0 },
      { start: 0, end: 0 },
    ],
  );
  assert.deepEqual(t.fields, {});
  assert.ok(first.graph.edges.every((e) => e.range.start === 0 && e.range.end === 0));
  // Shared empty records are frozen: a writer would fail loudly, not change every task.
  assert.ok(Object.isFrozen(first.pipeline.tasks[1]!.env));
  assert.deepEqual(first.pipeline.tasks[0]!.env, { LANG: 'C' });
  const cached = loadPipeline(file);
  assert.deepEqual(model(cached), model(first));
});

test('a large file with a finding keeps its ranges: the message names the line', () => {
  const dir = tempDir();
  const text = largePipeline(700, '  bad:\n    run: echo x\n    needs: [nowhere]\n');
  fs.writeFileSync(path.join(dir, 'p.pipeline.yaml'), text);
  const line = text.split('\n').indexOf('    needs: [nowhere]') + 1;
  for (let i = 0; i < 2; i++) {
    const r = cli(['validate', 'p.pipeline.yaml'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, new RegExp(`p\\.pipeline\\.yaml:${line}:\\d+`), r.stdout);
  }
});

test('state.json written a piece at a time is the text JSON.stringify gave', () => {
  const dir = tempDir();
  const file = path.join(dir, 'p.pipeline.yaml');
  fs.writeFileSync(file, 'pipeline: p\ntasks:\n  a: {run: x}\n');
  const paths = statePaths(file);
  const store = new StateStore(paths).load();
  const run = '20261130T120000000Z-abcd';
  store.record({
    ts: '2026-11-30T12:00:00.000Z',
    event: 'task_started',
    run,
    task: 'a',
    attempt: 1,
  });
  store.record({
    ts: '2026-11-30T12:00:01.000Z',
    event: 'task_finished',
    run,
    task: 'a',
    attempt: 1,
    status: 'success',
    exit_code: 0,
    duration_ms: 7,
    fingerprint: {
      command: 'c',
      env: 'e',
      params: {},
      inputs: { 'in "x".txt': '1:2' },
      upstream: {},
    },
    outputs: [],
  });
  store.record({
    ts: '2026-11-30T12:00:01.000Z',
    event: 'task_started',
    run,
    task: 'b\u00e9',
    attempt: 2,
  });
  store.save();
  const text = fs.readFileSync(paths.state, 'utf8');
  const doc = JSON.parse(text) as { pipelines: Record<string, { tasks: Record<string, unknown> }> };
  assert.equal(text, JSON.stringify(doc));
  const tasks = Object.values(doc.pipelines)[0]!.tasks;
  assert.deepEqual(Object.keys(tasks), ['a', 'b\u00e9']);
  assert.equal(
    new StateStore(paths).load().tasks.a?.successStamp,
    `${run}@2026-11-30T12:00:01.000Z`,
  );
});
