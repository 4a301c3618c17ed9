/**
 * Processes a task moves out of its process group (`setsid`, a daemon's double fork) end with a
 * cancel, a timeout and the runner's death (kill -9), found by the run's id in their environment;
 * a process of the same user that is not the run's survives. Through the task launcher (Perl) and
 * without it (TRIBUTARY_LAUNCHER=0: the runner spawns, a /bin/sh watchdog guards).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, test } from 'node:test';
import { cli, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun, waitFor } from './runHelpers';

const GRACE_MS = 1500;
/** The grace period plus generous slack: the CI machine is loaded. */
const GONE_MS = GRACE_MS + 15_000;

/**
 * The task: `setsid sleep` (esc1), a double fork into a new session (esc2), one that ignores TERM
 * (esc3, ended by KILL after the grace period); then it idles (or not, without the file `slow`).
 */
const TASK = `echo $$ > task.pid
setsid sleep 300 & echo $! > esc1
setsid sh -c 'sleep 300 & echo $! > esc2' &
setsid sh -c 'trap "" TERM; exec sleep 301' & echo $! > esc3
while [ ! -s esc2 ]; do sleep 0.05; done
touch ready
if [ -f slow ]; then sleep 300; fi
`;

/** A process, told apart from a later one with the same pid by its start time. */
interface Proc {
  pid: number;
  start: string;
}

function stat(pid: number): string[] | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function proc(pid: number): Proc {
  const f = stat(pid);
  assert.ok(f, `process ${pid} is running`);
  const p = { pid, start: f[19]! };
  seen.push(p);
  return p;
}

/** Still the same process, and not a zombie (a zombie holds nothing; its parent reaps it). */
function alive(p: Proc): boolean {
  const f = stat(p.pid);
  return !!f && f[0] !== 'Z' && f[19] === p.start;
}

function readPid(dir: string, name: string): number {
  return Number(fs.readFileSync(path.join(dir, name), 'utf8').trim());
}

/** Every process a test noted: KILLed after each test, whatever its outcome. */
const seen: Proc[] = [];
afterEach(() => {
  for (const p of seen.splice(0)) if (alive(p)) process.kill(p.pid, 'SIGKILL');
});

/** Waits until each escaped process noted its pid, then returns them. */
async function escapees(dir: string): Promise<Proc[]> {
  await waitFor(() => fs.existsSync(path.join(dir, 'ready')), 20_000, 'the task to be ready');
  const ps = ['esc1', 'esc2', 'esc3'].map((n) => proc(readPid(dir, n)));
  // Really out of the task's process group and session (fields: state, ppid, pgrp, session).
  const task = stat(readPid(dir, 'task.pid'));
  assert.ok(task, 'the task is running');
  for (const p of ps) {
    const f = stat(p.pid)!;
    assert.notEqual(f[2], task[2], `${p.pid} is out of the task's process group`);
    assert.notEqual(f[3], task[3], `${p.pid} is out of the task's session`);
  }
  return ps;
}

/** Same user, not started by the run: one without the variable, one with another run's id. */
function bystanders(): { procs: Proc[]; stop: () => void } {
  const { TRIBUTARY_RUN_ID: _, ...env } = process.env;
  const kids = [env, { ...env, TRIBUTARY_RUN_ID: 'another-run' }].map((e) =>
    spawn('sleep', ['302'], { env: e, detached: true, stdio: 'ignore' }),
  );
  for (const k of kids) k.unref();
  return {
    procs: kids.map((k) => proc(k.pid!)),
    stop: () => kids.forEach((k) => k.kill('SIGKILL')),
  };
}

/** The run's launcher (or /bin/sh watchdog): it names the run on its command line. */
function watchdogOf(run: string, runner: number): number {
  const pid = fs
    .readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n) && Number(n) !== runner)
    .find((n) => {
      try {
        return fs.readFileSync(`/proc/${n}/cmdline`, 'utf8').split('\0').includes(run);
      } catch {
        return false;
      }
    });
  assert.ok(pid, 'the run has a watchdog');
  return Number(pid);
}

function pipeline(extra = ''): Record<string, string> {
  return {
    slow: '',
    'task.sh': TASK,
    'p.pipeline.yaml': `pipeline: esc\ntasks:\n  t:\n    run: sh task.sh\n${extra}`,
  };
}

for (const mode of ['launcher', 'no launcher'] as const) {
  const env = {
    TRIBUTARY_KILL_GRACE_MS: String(GRACE_MS),
    ...(mode === 'no launcher' ? { TRIBUTARY_LAUNCHER: '0' } : {}),
  };

  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    test(`${mode}: ${sig} of the runner ends what the task moved out of its group; others survive`, async () => {
      const dir = writeTree(tempDir(), pipeline());
      const others = bystanders();
      const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
      try {
        const esc = await escapees(dir);
        const sent = Date.now();
        child.kill(sig);
        const [code] = await once(child, 'exit');
        assert.equal(code, 130);
        await waitFor(() => !esc.some(alive), GONE_MS, 'the escaped processes to end');
        // esc3 ignores TERM: it went at KILL, at the end of the grace period.
        assert.ok(Date.now() - sent >= GRACE_MS - 100, 'KILL came after the grace period');
        assert.ok(others.procs.every(alive), 'processes not of this run are left alone');
        assert.equal(finished(lastRun(dir)).t, 'cancelled');
      } finally {
        others.stop();
        child.kill('SIGKILL');
      }
    });

  // 10 s: time enough to escape on a loaded machine (ready is awaited below).
  test(`${mode}: a timeout ends what that task moved out of its group, not another task's`, async () => {
    // `other` escapes too, and ends normally: its escaped process is kept (it may be a service).
    const dir = writeTree(tempDir(), {
      ...pipeline(`    timeout: 10s\n  other:\n    run: sh other.sh\n`),
      // Ends only once its sleep has left the group (setsid done): else ending the group at the
      // shell's exit may catch it first. Session: field 6 of /proc/<pid>/stat.
      'other.sh': `setsid sleep 303 & p=$!
while [ "$(cut -d' ' -f6 /proc/$p/stat)" != "$p" ] || [ ! -f esc1 ]; do sleep 0.05; done
echo $p > other.pid
`,
    });
    const others = bystanders();
    const child = cliSpawn(['run', 'p.pipeline.yaml', '--workers', '2'], { cwd: dir, env });
    try {
      const esc = await escapees(dir);
      await waitFor(() => fs.existsSync(path.join(dir, 'other.pid')), 20_000, 'other to escape');
      const kept = proc(readPid(dir, 'other.pid'));
      const [code] = await once(child, 'exit');
      assert.equal(code, 1);
      const f = finished(lastRun(dir));
      assert.deepEqual(f, { t: 'timed_out', other: 'success' });
      await waitFor(
        () => !esc.some(alive),
        GONE_MS,
        'the timed-out task’s escaped processes to end',
      );
      assert.ok(alive(kept), 'another task’s escaped process is not the timed-out task’s');
      assert.ok(others.procs.every(alive), 'processes not of this run are left alone');
    } finally {
      others.stop();
      child.kill('SIGKILL');
    }
  });

  test(`${mode}: kill -9 of the runner: its watchdog ends what the task moved out of its group`, async () => {
    const dir = writeTree(tempDir(), pipeline());
    const others = bystanders();
    const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    try {
      const esc = await escapees(dir);
      child.kill('SIGKILL');
      await once(child, 'exit');
      await waitFor(() => !esc.some(alive), GONE_MS, 'the escaped processes to end');
      assert.ok(others.procs.every(alive), 'processes not of this run are left alone');
    } finally {
      others.stop();
    }
  });

  test(`${mode}: a runner started by another run's task: its watchdog does not carry that run's id`, async () => {
    // The outer run's cancel ends what carries its id: the inner runner (which then ends its own
    // tasks), never the inner watchdog that covers them if the inner runner is KILLed first.
    const dir = writeTree(tempDir(), pipeline());
    const child = cliSpawn(['run', 'p.pipeline.yaml'], {
      cwd: dir,
      env: { ...env, TRIBUTARY_RUN_ID: 'the-outer-run' },
    });
    try {
      await escapees(dir);
      const watchdog = watchdogOf(lastRun(dir)[0]!.run, child.pid!);
      const environ = fs.readFileSync(`/proc/${watchdog}/environ`, 'latin1').split('\0');
      assert.ok(!environ.some((e) => e.startsWith('TRIBUTARY_RUN_ID=')), environ.join(' '));
      // The runner's task got its own run's id, not the outer one.
      const task = fs.readFileSync(`/proc/${readPid(dir, 'esc1')}/environ`, 'latin1').split('\0');
      assert.ok(task.includes(`TRIBUTARY_RUN_ID=${lastRun(dir)[0]!.run}`), task.join(' '));
    } finally {
      child.kill('SIGKILL');
    }
  });

  test(`${mode}: a normal end keeps what a task started outside its group on purpose`, () => {
    const dir = writeTree(tempDir(), pipeline());
    fs.rmSync(path.join(dir, 'slow'));
    const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const esc = ['esc1', 'esc2', 'esc3'].map((n) => proc(readPid(dir, n)));
    assert.ok(esc.every(alive), 'a service a task started is still running');
  });
}

test('runner and its launcher both killed: the next run ends what the dead run’s tasks moved out of their groups', async () => {
  const dir = writeTree(tempDir(), pipeline());
  const env = { TRIBUTARY_KILL_GRACE_MS: String(GRACE_MS) };
  const others = bystanders();
  const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
  try {
    const esc = await escapees(dir);
    const run = lastRun(dir)[0]!.run;
    const watchdog = watchdogOf(run, child.pid!);
    // Both stopped first, so neither sees the other go, then killed.
    child.kill('SIGSTOP');
    process.kill(watchdog, 'SIGSTOP');
    process.kill(watchdog, 'SIGKILL');
    child.kill('SIGKILL');
    await once(child, 'exit');
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(esc.every(alive), 'nothing ended them yet');
    fs.rmSync(path.join(dir, 'slow'));
    fs.rmSync(path.join(dir, 'ready'));
    const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`and 3 process\\(es\\) moved out of them left running by run ${run}`),
    );
    assert.ok(!esc.some(alive), 'the dead run’s escaped processes are gone');
    assert.ok(others.procs.every(alive), 'processes not of this run are left alone');
    // The new run's own (a normal end) are kept, until afterEach.
    for (const n of ['esc1', 'esc2', 'esc3']) proc(readPid(dir, n));
  } finally {
    others.stop();
    child.kill('SIGKILL');
  }
});

test('a cancel while no task runs (a retry’s wait) still ends what finished tasks moved out of their groups', async () => {
  const dir = writeTree(tempDir(), {
    // Waits until its sleep has left the group (session: field 6 of /proc/<pid>/stat).
    'a.sh': `setsid sleep 304 & p=$!
while [ "$(cut -d' ' -f6 /proc/$p/stat)" != "$p" ]; do sleep 0.05; done
echo $p > a.pid
`,
    'p.pipeline.yaml': `pipeline: wait
tasks:
  a:
    run: sh a.sh
  b:
    needs: [a]
    run: exit 1
    retries: 1
    retry_delay: 10m
`,
  });
  const others = bystanders();
  const child = cliSpawn(['run', 'p.pipeline.yaml'], {
    cwd: dir,
    env: { TRIBUTARY_KILL_GRACE_MS: String(GRACE_MS) },
  });
  try {
    await waitFor(
      () => lastRun(dir).some((e) => e.event === 'task_retry'),
      20_000,
      'b to wait for its retry',
    );
    const esc = proc(readPid(dir, 'a.pid'));
    assert.ok(alive(esc), 'a’s escaped process outlived a’s success');
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 130);
    await waitFor(() => !alive(esc), GONE_MS, 'a’s escaped process to end');
    assert.ok(others.procs.every(alive), 'processes not of this run are left alone');
  } finally {
    others.stop();
    child.kill('SIGKILL');
  }
});
