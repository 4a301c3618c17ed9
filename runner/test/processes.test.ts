/** Signals, timeouts, crashes, locks and parallelism: checked against the real process table and run records. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun, processesWith, runLogs, started, waitFor } from './runHelpers';

const idle = (tag: string) => `node -e "setInterval(() => {}, 1000)" ${tag}`;
const uniq = () => `tribmark${process.pid}x${Math.random().toString(36).slice(2, 8)}`;

test('SIGINT mid-run → exit 130, the run is recorded as cancelled, and no process of the run survives', async () => {
  const marker = uniq();
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: s\ntasks:\n  a:\n    run: '${idle(marker + '-bg')} & ${idle(marker + '-fg')}; wait'\n  b:\n    run: '${idle(marker + '-b')}'\n  after:\n    needs: [a]\n    run: "true"\n`,
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml', '--workers', '2'], {
    cwd: dir,
    env: { TRIBUTARY_KILL_GRACE_MS: '2000' },
  });
  await waitFor(() => processesWith(marker).length >= 4, 15_000, 'the task processes');
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  assert.equal(code, 130);
  assert.deepEqual(processesWith(marker), []);
  const events = lastRun(dir);
  const f = finished(events);
  assert.equal(f.a, 'cancelled');
  assert.equal(f.b, 'cancelled');
  assert.equal(f.after, undefined);
  const end = events.at(-1);
  assert.ok(end?.event === 'run_finished' && end.status === 'cancelled');
});

test('a timeout kills the task and its children, even one that ignores TERM', async () => {
  const marker = uniq();
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: t\ntasks:\n  slow:\n    run: 'bash -c "trap \\"\\" TERM; ${idle(marker).replace(/"/g, '\\"')}" & ${idle(marker + '-fg')}; wait'\n    timeout: 700ms\n`,
  });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env: { TRIBUTARY_KILL_GRACE_MS: '500' } });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const fin = lastRun(dir).find((e) => e.event === 'task_finished');
  assert.ok(fin?.event === 'task_finished' && fin.status === 'timed_out', JSON.stringify(fin));
  assert.deepEqual(processesWith(marker), []);
});

test('kill -9 of the runner: the re-run takes over the stale lock, skips what finished, redoes what did not', async () => {
  const marker = uniq();
  const dir = writeTree(tempDir(), {
    slow: '',
    'p.pipeline.yaml': `pipeline: k
tasks:
  first:
    run: echo 1 > first.txt
    outputs: [first.txt]
  second:
    needs: [first]
    run: 'if [ -f slow ]; then touch second.started; ${idle(marker)}; fi; echo 2 > second.txt'
    outputs: [second.txt]
  third:
    needs: [second]
    run: echo 3 > third.txt
    outputs: [third.txt]
`,
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml', '--workers', '1'], { cwd: dir });
  await waitFor(() => fs.existsSync(path.join(dir, 'second.started')), 15_000, 'second to start');
  child.kill('SIGKILL');
  await once(child, 'exit');
  // The runner's watchdog stops its orphan (orphans.test.ts checks this in depth).
  await waitFor(() => processesWith(marker).length === 0, 10_000, 'the orphan to be stopped');
  fs.rmSync(path.join(dir, 'slow'));
  const crashed = runLogs(dir)[0] ?? [];
  assert.ok(crashed.some((e) => e.event === 'task_started' && e.task === 'second'));
  assert.ok(!crashed.some((e) => e.event === 'run_finished'));

  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stderr, /stale lock/);
  assert.deepEqual(started(lastRun(dir)), ['second', 'third']);
  assert.equal(finished(lastRun(dir)).first, 'complete');
  const history = JSON.parse(cli(['history', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout);
  assert.deepEqual(
    history.runs.map((x: { status: string }) => x.status),
    ['success', 'interrupted'],
  );
});

test('state.json deleted or corrupt: rebuilt from the run records', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml':
      'pipeline: r\ntasks:\n  a:\n    run: echo > a.txt\n    outputs: [a.txt]\n  b:\n    run: cat a.txt > b.txt\n    inputs: [a.txt]\n    outputs: [b.txt]\n',
  });
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  fs.writeFileSync(path.join(dir, '.tributary/state.json'), '{"trunc');
  assert.deepEqual(
    JSON.parse(cli(['plan', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout).run,
    [],
  );
  fs.rmSync(path.join(dir, '.tributary/state.json'));
  assert.deepEqual(
    JSON.parse(cli(['plan', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout).run,
    [],
  );
  // A torn last line in a record is skipped by every reader.
  const runs = path.join(dir, '.tributary/runs');
  fs.appendFileSync(path.join(runs, fs.readdirSync(runs)[0]!), '{"ts":"2026-01-01T00:0');
  assert.equal(cli(['history', 'p.pipeline.yaml', '--json'], { cwd: dir }).code, 0);
  assert.deepEqual(
    JSON.parse(cli(['plan', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout).run,
    [],
  );
});

test('a second run while one holds the lock is refused with the running one named', async () => {
  const marker = uniq();
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: l\ntasks:\n  long:\n    run: '${idle(marker)}'\n`,
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir });
  await waitFor(() => processesWith(marker).length > 0, 15_000, 'the long task');
  const second = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(second.code, 2);
  const runId = lastRun(dir)[0]?.run ?? '';
  assert.ok(second.stderr.includes(runId), second.stderr);
  assert.match(second.stderr, /already running/);
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  assert.equal(code, 130);
  assert.ok(!fs.existsSync(path.join(dir, '.tributary/lock')));
});

function overlapped(dir: string): boolean {
  const ev = lastRun(dir);
  const at = (task: string, kind: string) =>
    Date.parse(ev.find((e) => e.event === kind && 'task' in e && e.task === task)?.ts ?? '');
  return (
    at('one', 'task_started') < at('two', 'task_finished') &&
    at('two', 'task_started') < at('one', 'task_finished')
  );
}

test('two workers overlap two sleeps; a pool of 1 does not', () => {
  const body = (res: string) =>
    `pipeline: w\nresources: {db: 1}\ntasks:\n  one:\n    run: sleep 0.4\n${res}  two:\n    run: sleep 0.4\n${res}`;
  const free = writeTree(tempDir(), { 'p.pipeline.yaml': body('') });
  assert.equal(cli(['run', 'p.pipeline.yaml', '--workers', '2'], { cwd: free }).code, 0);
  assert.equal(overlapped(free), true);
  const pooled = writeTree(tempDir(), { 'p.pipeline.yaml': body('    resources: {db: 1}\n') });
  assert.equal(cli(['run', 'p.pipeline.yaml', '--workers', '2'], { cwd: pooled }).code, 0);
  assert.equal(overlapped(pooled), false);
  const single = writeTree(tempDir(), { 'p.pipeline.yaml': body('') });
  assert.equal(cli(['run', 'p.pipeline.yaml', '--workers', '1'], { cwd: single }).code, 0);
  assert.equal(overlapped(single), false);
});
