/** The host side of the graph bridge without VS Code: task names checked, logs only from their run's folder, last states from records. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { lastStates } from '../../core/protocol/lastStates';
import { isWebviewToHost, tasksNamed, type WebviewToHost } from '../../core/protocol/webview';
import type { RunEvent } from '../../core/run/events';
import { logPath, taskLog } from '../../extension/logs';
import { refusalOf } from '../../extension/refusal';
import { lensResult } from '../../extension/lensResult';
import { spawnSync } from 'node:child_process';

function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bridge-'));
  fs.writeFileSync(
    path.join(dir, 'p.pipeline.yaml'),
    'pipeline: p\ntasks:\n  a:\n    run: echo a\n',
  );
  return dir;
}

test('every message naming a task names it for the host to check', () => {
  const msgs: WebviewToHost[] = [
    { type: 'run/task', task: 'x', mode: 'run' },
    { type: 'task/showLog', task: 'x' },
    { type: 'task/reveal', task: 'x' },
    { type: 'selection/changed', task: 'x' },
    { type: 'intent', version: 1, intent: { kind: 'removeTask', name: 'x' } },
    { type: 'intent', version: 1, intent: { kind: 'renameTask', from: 'x', to: 'y' } },
    { type: 'intent', version: 1, intent: { kind: 'addDependency', task: 'x', needs: 'a' } },
    {
      type: 'intent',
      version: 1,
      intent: { kind: 'setTaskField', task: 'x', field: 'run', value: 'v' },
    },
  ];
  for (const m of msgs) {
    assert.ok(isWebviewToHost(m), JSON.stringify(m));
    assert.ok(tasksNamed(m).includes('x'), `${m.type} names x`);
  }
  assert.deepEqual(tasksNamed({ type: 'run/all' }), []);
});

test('show log: a ../ in a task or run name is refused, and nothing outside .tributary/logs is read', async () => {
  const dir = workspace();
  const file = path.join(dir, 'p.pipeline.yaml');
  fs.writeFileSync(path.join(dir, 'secret.log'), 'TOP SECRET');
  fs.mkdirSync(path.join(dir, '.tributary', 'logs', 'r1'), { recursive: true });
  for (const [run, task] of [
    ['r1', '../../../secret'],
    ['r1', '..'],
    ['..', 'secret'],
    ['../..', 'secret'],
    ['r1', 'a/../../../../secret'],
    ['/etc', 'passwd'],
    ['r1', 'a@../../../secret'],
    ['r1', 'a@x/../../secret'],
  ] as const) {
    assert.equal(logPath(file, run, task), null, `${run} ${task}`);
    const lines = await taskLog(file, task, { run, attempt: 1 });
    assert.ok(!lines.join('\n').includes('TOP SECRET'), `${run} ${task}: ${lines.join(' ')}`);
  }
  assert.ok(logPath(file, 'r1', 'a')?.endsWith(path.join('.tributary', 'logs', 'r1', 'a.log')));
  // A partition's instance has its own log, named by its key (daily, hourly, weekly, a value).
  for (const task of ['a@2024-01-31', 'a@2024-01-31T13', 'a@2024-W05', 'a@eu']) {
    assert.ok(logPath(file, 'r1', task)?.endsWith(path.join('r1', `${task}.log`)), task);
  }
});

test("show log: the run the state comes from, never another run's output", async () => {
  const dir = workspace();
  const file = path.join(dir, 'p.pipeline.yaml');
  const logs = path.join(dir, '.tributary', 'logs');
  fs.mkdirSync(path.join(logs, 'r1'), { recursive: true });
  fs.mkdirSync(path.join(logs, 'r2'), { recursive: true });
  fs.writeFileSync(path.join(logs, 'r1', 'a.log'), 'old output of r1\n');
  // r2: the task failed and printed nothing (no log file).
  const lines = await taskLog(file, 'a', { run: 'r2', attempt: 2 });
  assert.deepEqual(lines, ['(run r2 · 2 attempts)', '(attempt 2 printed nothing)']);
  assert.deepEqual(await taskLog(file, 'a', { run: 'r1', attempt: 1 }), [
    '(run r1)',
    'old output of r1',
  ]);
  assert.match((await taskLog(file, 'a', undefined))[0] ?? '', /has not run/);
});

const at = (s: number) => new Date(Date.UTC(2026, 10, 30, 0, 0, s)).toISOString();
const started = (run: string, tasks: string[]): RunEvent => ({
  ts: at(0),
  run,
  event: 'run_started',
  pipeline: 'p',
  file: 'p.pipeline.yaml',
  tasks,
  params: {},
  workers: 1,
});

test('last states: newest run that ran the task; complete skips say nothing; an unfinished run was interrupted', () => {
  const r1: RunEvent[] = [
    started('r1', ['a', 'b', 'c']),
    { ts: at(1), run: 'r1', event: 'task_started', task: 'a', attempt: 1 },
    {
      ts: at(2),
      run: 'r1',
      event: 'task_finished',
      task: 'a',
      attempt: 1,
      status: 'success',
      exit_code: 0,
      duration_ms: 1000,
    },
    { ts: at(2), run: 'r1', event: 'task_started', task: 'b', attempt: 1 },
    {
      ts: at(3),
      run: 'r1',
      event: 'task_finished',
      task: 'b',
      attempt: 1,
      status: 'success',
      exit_code: 0,
      duration_ms: 1000,
    },
    {
      ts: at(4),
      run: 'r1',
      event: 'run_finished',
      status: 'success',
      duration_ms: 4000,
    } as RunEvent,
  ];
  const r2: RunEvent[] = [
    started('r2', ['a', 'b', 'c']),
    {
      ts: at(5),
      run: 'r2',
      event: 'task_skipped',
      task: 'a',
      status: 'complete',
      reason: 'up to date',
    },
    { ts: at(6), run: 'r2', event: 'task_started', task: 'b', attempt: 1 },
    {
      ts: at(7),
      run: 'r2',
      event: 'task_retry',
      task: 'b',
      attempt: 1,
      delay_ms: 10,
      reason: 'exit 1',
    },
    { ts: at(8), run: 'r2', event: 'task_started', task: 'b', attempt: 2 },
    {
      ts: at(9),
      run: 'r2',
      event: 'task_finished',
      task: 'b',
      attempt: 2,
      status: 'failed',
      exit_code: 1,
      duration_ms: 5,
      message: 'exit code 1',
    },
    {
      ts: at(9),
      run: 'r2',
      event: 'task_skipped',
      task: 'c',
      status: 'upstream_failed',
      reason: 'upstream b failed',
    },
    {
      ts: at(10),
      run: 'r2',
      event: 'run_finished',
      status: 'failed',
      duration_ms: 5000,
    } as RunEvent,
  ];
  const r3: RunEvent[] = [
    started('r3', ['a']),
    { ts: at(11), run: 'r3', event: 'task_started', task: 'a', attempt: 1 },
  ];
  const last = lastStates([r3, r2, r1], ['a', 'b', 'c', 'd']);
  assert.deepEqual(
    { status: last.a?.status, run: last.a?.run },
    { status: 'interrupted', run: 'r3' },
  );
  assert.deepEqual(
    {
      status: last.b?.status,
      run: last.b?.run,
      attempt: last.b?.attempt,
      message: last.b?.message,
    },
    { status: 'failed', run: 'r2', attempt: 2, message: 'exit code 1' },
  );
  assert.equal(last.c?.status, 'upstream_failed');
  assert.equal(last.d, undefined);
  // While r3 is the live run, it is not "interrupted": a's last state is r1's success.
  const live = lastStates([r3, r2, r1], ['a'], 'r3');
  assert.deepEqual({ status: live.a?.status, run: live.a?.run }, { status: 'success', run: 'r1' });
});

test('a run the real runner refuses is told in one line (what the notification says), a run that started is not', () => {
  const dir = workspace();
  const file = path.join(dir, 'p.pipeline.yaml');
  // An unclosed bracket (the YAML ends unparsed): the runner refuses it before any run starts.
  fs.writeFileSync(file, 'pipeline: p\ntasks:\n  a:\n    run: [echo a\n');
  const cli = path.resolve(import.meta.dirname, '..', '..', 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'run', file], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '1' },
  });
  assert.equal(r.status, 2);
  const why = refusalOf(r.stdout + r.stderr, false, r.status ?? 1);
  assert.ok(why, 'a refusal is reported');
  assert.match(why, /^invalid pipeline: .*p\.pipeline\.yaml:\d+:\d+: error: .*\[yaml-syntax\]$/);
  assert.ok(!why.includes('\u001b'), 'no colour codes in a notification');
  // A run that started speaks through the graph; a cancel (130) or success says nothing here.
  assert.equal(refusalOf('tributary: boom', true, 1), undefined);
  assert.equal(refusalOf('tributary: cancelled', false, 130), undefined);
  assert.equal(refusalOf('', false, 0), undefined);
  assert.equal(refusalOf('', false, 2), 'the runner exited with code 2');
});

test('the CodeLens says what the graph says: a cancelled task is cancelled (not failed), a blocked one upstream failed', () => {
  const r: RunEvent[] = [
    started('r9', ['a', 'b']),
    { ts: at(1), run: 'r9', event: 'task_started', task: 'a', attempt: 1 },
    {
      ts: at(4),
      run: 'r9',
      event: 'task_finished',
      task: 'a',
      attempt: 1,
      status: 'cancelled',
      exit_code: null,
      duration_ms: 3036,
      message: 'cancelled',
    } as RunEvent,
    {
      ts: at(4),
      run: 'r9',
      event: 'task_skipped',
      task: 'b',
      status: 'upstream_failed',
    } as RunEvent,
    {
      ts: at(4),
      run: 'r9',
      event: 'run_finished',
      status: 'cancelled',
      duration_ms: 3059,
    } as RunEvent,
  ];
  const last = lastStates([r], ['a', 'b']);
  assert.equal(
    lensResult(last.a?.status, last.a?.durationMs),
    '$(circle-slash) cancelled after 3.04s',
  );
  assert.equal(
    lensResult(last.b?.status, last.b?.durationMs),
    '$(debug-disconnect) upstream failed',
  );
  assert.equal(lensResult('success', 536), '$(pass) success in 536ms');
  assert.equal(lensResult('running'), '$(sync~spin) running');
  assert.equal(lensResult('pending'), undefined);
  assert.equal(lensResult(undefined), undefined);
});
