/** Tasks do not outlive their runner: kill -9, SIGHUP, and a runner lost together with its watchdog. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun, processesWith, runLogs, started, waitFor } from './runHelpers';

const uniq = () => `orphmark${process.pid}x${Math.random().toString(36).slice(2, 8)}`;

/**
 * Two tasks that note each process that writes their output: `long` idles 60 s, `stubborn`
 * ignores TERM. While the file `slow` exists they idle; without it they finish at once.
 */
function pipeline(marker: string): Record<string, string> {
  const task = (name: string, trap: string) => `  ${name}:
    run: '${trap}echo "start $$" >> ${name}.writers; if [ -f slow ]; then for i in $(seq 600); do sleep 0.1; done; fi; echo "end $$" >> ${name}.writers; echo ok > ${name}.txt # ${marker}'
    outputs: [${name}.txt]
`;
  return {
    slow: '',
    'p.pipeline.yaml': `pipeline: o\ntasks:\n${task('long', '')}${task('stubborn', 'trap "" TERM; ')}`,
  };
}

/** Each task's output was written by exactly one process: the re-run's. */
function assertOneWriter(dir: string): void {
  for (const name of ['long', 'stubborn']) {
    const lines = fs
      .readFileSync(path.join(dir, `${name}.writers`), 'utf8')
      .trim()
      .split('\n');
    // The killed attempt started and never ended; the re-run (another pid) started and ended.
    const rerun = lines[2]?.replace('end ', '') ?? '';
    assert.deepEqual(lines.slice(1), [`start ${rerun}`, `end ${rerun}`], lines.join(' | '));
    assert.match(lines[0] ?? '', /^start \d+$/);
    assert.notEqual(lines[0], lines[1]);
  }
}

async function startSlowRun(marker: string) {
  const dir = writeTree(tempDir(), pipeline(marker));
  const env = { TRIBUTARY_KILL_GRACE_MS: '1500' };
  const child = cliSpawn(['run', 'p.pipeline.yaml', '--workers', '2'], { cwd: dir, env });
  await waitFor(() => processesWith(marker).length >= 2, 15_000, 'both tasks to start');
  await waitFor(
    () => ['long', 'stubborn'].every((n) => fs.existsSync(path.join(dir, `${n}.writers`))),
    15_000,
    'both tasks to write',
  );
  return { dir, env, child };
}

async function rerunOnce(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  fs.rmSync(path.join(dir, 'slow'));
  const r = cli(['run', 'p.pipeline.yaml', '--workers', '2'], { cwd: dir, env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const events = lastRun(dir);
  assert.deepEqual(started(events).sort(), ['long', 'stubborn']);
  assert.deepEqual(finished(events), { long: 'success', stubborn: 'success' });
  assertOneWriter(dir);
  return r.stderr;
}

test('kill -9 of the runner: within 10 s no task process is left (even one ignoring TERM); the re-run runs each task once', async () => {
  const marker = uniq();
  const { dir, env, child } = await startSlowRun(marker);
  child.kill('SIGKILL');
  await once(child, 'exit');
  const killed = Date.now();
  await waitFor(() => processesWith(marker).length === 0, 10_000, 'the orphans to be stopped');
  // TERM is ignored by one task: it went only at KILL, after the 1.5 s grace period.
  assert.ok(Date.now() - killed < 10_000);
  assert.ok(!runLogs(dir)[0]!.some((e) => e.event === 'run_finished'));
  await rerunOnce(dir, env);
});

test('SIGHUP (terminal closed) ends the runner and every task process group', async () => {
  const marker = uniq();
  const { dir, env, child } = await startSlowRun(marker);
  child.kill('SIGHUP');
  await once(child, 'exit');
  await waitFor(() => processesWith(marker).length === 0, 10_000, 'the task processes to end');
  await rerunOnce(dir, env);
});

test('runner and watchdog both killed: the next run stops the leftover groups before it runs anything', async () => {
  const marker = uniq();
  const { dir, env, child } = await startSlowRun(marker);
  const run = runLogs(dir)[0]![0]!.run;
  // The watchdog (or the task launcher, which is its own watchdog) names the run.
  const watchdogs = processesWith(run);
  assert.equal(watchdogs.length, 1, 'one watchdog for the run');
  // The task launcher (Perl) is its own watchdog; with TRIBUTARY_LAUNCHER=0 a Node watchdog.
  const watcher = fs.readFileSync(`/proc/${watchdogs[0]}/cmdline`, 'utf8').split('\0')[0] ?? '';
  // Both die at once (an OOM kill of everything, a rebooted container's leftovers…): stopped
  // first, so neither sees the other go (the runner ends the groups of a launcher that died).
  child.kill('SIGSTOP');
  process.kill(watchdogs[0]!, 'SIGSTOP');
  process.kill(watchdogs[0]!, 'SIGKILL');
  child.kill('SIGKILL');
  await once(child, 'exit');
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(processesWith(marker).length, 2, 'the orphans are still running');
  const stderr = await rerunOnce(dir, env);
  assert.match(
    stderr,
    // A process of the run caught outside its group at the kill (a shell mid-fork) is named too.
    new RegExp(
      `stopping 2 task process group\\(s\\)( and \\d+ process\\(es\\) moved out of them)? left running by run ${run}`,
    ),
  );
  assert.deepEqual(processesWith(marker), []);
  assert.deepEqual(fs.readdirSync(path.join(dir, '.tributary', 'groups')), []);
  if (process.env.TRIBUTARY_LAUNCHER !== '0')
    assert.match(path.basename(watcher), /^perl/, 'the launcher is the watchdog');
});

test('kill -9 the moment a task has started: the task is still stopped', async () => {
  for (let i = 0; i < 3; i++) {
    const marker = uniq();
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: q\ntasks:\n  t:\n    run: 'touch started; sleep 30; echo ${marker}'\n`,
    });
    const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir });
    await waitFor(() => fs.existsSync(path.join(dir, 'started')), 15_000, 'the task');
    child.kill('SIGKILL');
    await once(child, 'exit');
    await waitFor(() => processesWith(marker).length === 0, 10_000, 'the task to be stopped');
  }
});
