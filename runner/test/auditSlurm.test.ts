/**
 * Acceptance audit of the Slurm executor on a real single-node cluster: what a user meets when a
 * job is cancelled from outside, stays PENDING, or its runner is killed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunEvent } from '../../core/run/events';
import { cliAsync, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { lastRun, waitFor } from './runHelpers';
import { slurmUnavailable, startSlurm, type SlurmCluster } from './slurmCluster';

type Finished = Extract<RunEvent, { event: 'task_finished' }>;
const finishedOf = (events: RunEvent[], task: string): Finished | undefined =>
  events.find((e): e is Finished => e.event === 'task_finished' && e.task === task);

describe('slurm audit', { skip: slurmUnavailable() }, () => {
  let cluster: SlurmCluster;
  let env: NodeJS.ProcessEnv;
  const slurm = (cmd: string, args: string[]): string =>
    execFileSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
  const queue = (): string[] =>
    slurm('squeue', ['-h', '-o', '%i'])
      .split('\n')
      .filter(Boolean)
      .map((l) => l.trim());
  before(async () => {
    cluster = await startSlurm();
    env = { ...cluster.env, TRIBUTARY_SLURM_POLL_MS: '200' };
  });
  after(async () => cluster?.stop());

  test('a job cancelled from outside (scancel): failed, says so, and its exit_code is null, not 0', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: ext
tasks:
  train:
    executor: slurm
    run: echo begin; sleep 120
`,
    });
    const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = once(child, 'exit');
    await waitFor(() => /\[train\] begin/.test(stdout), 60_000, 'the job to start');
    const [id] = queue();
    assert.ok(id, 'a job in the queue');
    slurm('scancel', [id]);
    const [code] = await exited;
    assert.equal(code, 1);
    const train = finishedOf(lastRun(dir), 'train');
    assert.equal(train?.status, 'failed');
    assert.equal(train?.job, id);
    assert.equal(train?.exit_code, null, 'Slurm says 0:15: a signal, not a success');
    assert.match(train?.message ?? '', new RegExp(`Slurm job ${id} was cancelled in Slurm`));
    assert.deepEqual(queue(), []);
  });

  test('Ctrl+C of a running job: cancelled, exit 130, exit_code null, nothing left in squeue', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml':
        'pipeline: c\ntasks:\n  train:\n    executor: slurm\n    run: echo begin; sleep 120\n',
    });
    const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = once(child, 'exit');
    await waitFor(() => /\[train\] begin/.test(stdout), 60_000, 'the job to start');
    child.kill('SIGINT');
    const [code] = await exited;
    assert.equal(code, 130);
    const events = lastRun(dir);
    const train = finishedOf(events, 'train');
    assert.equal(train?.status, 'cancelled');
    assert.equal(train?.exit_code, null);
    assert.equal(events.at(-1)?.event, 'run_finished');
    assert.deepEqual(queue(), []);
  });

  test('a job held PENDING (partition down) is said to wait, and why; a timeout says it never started', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: pend
tasks:
  train:
    executor: slurm
    timeout: 20s
    run: echo ran > ran.txt
`,
    });
    slurm('scontrol', ['update', 'PartitionName=debug', 'State=DOWN']);
    try {
      const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      const exited = once(child, 'exit');
      // Said well before the timeout, in the terminal and in the task's log.
      await waitFor(
        () => /\[train\] tributary: Slurm job \d+ is waiting in the queue/.test(stdout),
        18_000,
        'the waiting line',
      );
      assert.match(stdout, /\(PENDING, PartitionDown: its partition is down\)/);
      const [code] = await exited;
      assert.equal(code, 1);
      const train = finishedOf(lastRun(dir), 'train');
      assert.equal(train?.status, 'timed_out');
      assert.equal(train?.exit_code, null, 'it never ran');
      assert.match(
        train?.message ?? '',
        /never started: still PENDING in the queue \(PartitionDown\)/,
      );
      const run = lastRun(dir)[0]!.run;
      const log = fs.readFileSync(path.join(dir, '.tributary', 'logs', run, 'train.log'), 'utf8');
      assert.match(
        log,
        /tributary: Slurm job \d+ is waiting in the queue \(PENDING, PartitionDown/,
      );
      assert.ok(!fs.existsSync(path.join(dir, 'ran.txt')));
      assert.deepEqual(queue(), []);
    } finally {
      slurm('scontrol', ['update', 'PartitionName=debug', 'State=UP']);
    }
  });

  test('kill -9 of the runner mid-job: the log says when and that the job is cancelled; history times the task to that moment', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: k9
tasks:
  train:
    executor: slurm
    run: echo begin; sleep 120
`,
    });
    const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    try {
      await waitFor(() => /\[train\] begin/.test(stdout), 60_000, 'the job to start');
      const [id] = queue();
      assert.ok(id, 'a job in the queue');
      // The job prints nothing more: 2 s of silence before the runner dies.
      await new Promise((r) => setTimeout(r, 2000));
      child.kill('SIGKILL');
      await once(child, 'exit');
      await waitFor(() => queue().length === 0, 30_000, 'the watchdog to cancel the job');
      const run = lastRun(dir)[0]!.run;
      const log = fs.readFileSync(path.join(dir, '.tributary', 'logs', run, 'train.log'), 'utf8');
      assert.match(
        log,
        new RegExp(
          `^begin\\ntributary: the runner stopped at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d before this task ended \\(killed\\?\\): its Slurm job ${id} is cancelled now$`,
          'm',
        ),
      );
      const r = await cliAsync(['history', 'p.pipeline.yaml', '--json'], { cwd: dir, env });
      assert.equal(r.code, 0, r.stderr);
      const [h] = (
        JSON.parse(r.stdout) as {
          runs: {
            status: string;
            tasks: { task: string; status: string; duration_ms: number }[];
          }[];
        }
      ).runs;
      assert.equal(h?.status, 'interrupted');
      const train = h?.tasks.find((t) => t.task === 'train');
      assert.equal(train?.status, 'interrupted');
      assert.ok((train?.duration_ms ?? 0) >= 2000, `train ran ${train?.duration_ms} ms`);
    } finally {
      child.kill('SIGKILL');
    }
  });

  test('a task asks Slurm for memory and a partition through SBATCH_* in its env', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: res
params:
  mem: 120M
tasks:
  train:
    executor: slurm
    env:
      SBATCH_MEM_PER_NODE: \${params.mem}
      SBATCH_PARTITION: debug
    run: echo "mem=$SLURM_MEM_PER_NODE partition=$SLURM_JOB_PARTITION"
`,
    });
    const r = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\[train\] mem=120 partition=debug/);
    const id = finishedOf(lastRun(dir), 'train')?.job;
    assert.ok(id);
    assert.match(slurm('scontrol', ['show', 'job', '-o', id]), /MinMemoryNode=120M/);
  });

  test('SBATCH_* that would break tracking (an array, stderr elsewhere, --wait) are not passed to sbatch', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: arr
tasks:
  train:
    executor: slurm
    env:
      SBATCH_ARRAY_INX: 0-1
      SBATCH_ERROR: err.txt
      SBATCH_WAIT: "1"
    run: echo ran >> runs.txt; echo oops >&2
`,
    });
    const r = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\[train\] oops/);
    assert.equal(fs.readFileSync(path.join(dir, 'runs.txt'), 'utf8'), 'ran\n');
    assert.ok(!fs.existsSync(path.join(dir, 'err.txt')));
  });

  test('a long job is not polled twice a second: squeue is asked less often as jobs age, output still flows', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: quiet
tasks:
  train:
    executor: slurm
    run: for i in 1 2 3 4 5; do echo "tick $i"; sleep 2; done; sleep 10
`,
    });
    // squeue through a wrapper that counts its calls.
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    const count = path.join(dir, 'squeue-calls');
    fs.writeFileSync(
      path.join(bin, 'squeue'),
      `#!/bin/sh\necho >> '${count}'\nexec /usr/bin/squeue "$@"\n`,
      { mode: 0o755 },
    );
    const child = cliSpawn(['run', 'p.pipeline.yaml'], {
      cwd: dir,
      env: { ...env, PATH: `${bin}:${process.env.PATH}` },
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    let over = false;
    const exited = once(child, 'exit').then((r) => ((over = true), r));
    // Output reaches the terminal while the job runs (10 s before its end).
    await waitFor(() => /\[train\] tick 5/.test(stdout) || over, 120_000, 'tick 5');
    assert.ok(!over, `the run ended before its output was shown:\n${stdout}`);
    const [code] = await exited;
    assert.equal(code, 0, stdout);
    const calls = fs.readFileSync(count, 'utf8').split('\n').length - 1;
    // At 200 ms a poll, a 20 s job was about 100 calls; as its age / 10 (at least 200 ms), about 35.
    assert.ok(calls < 55, `${calls} squeue calls for one 20 s job`);
  });

  test('a job that waited then started says after how long; the run succeeds', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml':
        'pipeline: late\ntasks:\n  train:\n    executor: slurm\n    run: sleep 3; echo trained\n',
    });
    slurm('scontrol', ['update', 'PartitionName=debug', 'State=DOWN']);
    let up = false;
    try {
      const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      const exited = once(child, 'exit');
      await waitFor(() => /is waiting in the queue/.test(stdout), 60_000, 'the waiting line');
      slurm('scontrol', ['update', 'PartitionName=debug', 'State=UP']);
      up = true;
      const [code] = await exited;
      assert.equal(code, 0, stdout);
      assert.match(stdout, /\[train\] tributary: Slurm job \d+ started after [\d.]+s in the queue/);
      assert.match(stdout, /\[train\] trained/);
    } finally {
      if (!up) slurm('scontrol', ['update', 'PartitionName=debug', 'State=UP']);
    }
  });

  // Last: it stops and restarts slurmctld.
  test('Ctrl+C while slurmctld does not answer: said so; a second Ctrl+C stops waiting (exit 130), and the job is still cancelled once Slurm is back', async () => {
    const conf = fs.readFileSync(env.SLURM_CONF!, 'utf8');
    const pidFile = /^SlurmctldPidFile=(.*)$/m.exec(conf)![1]!;
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml':
        'pipeline: down\ntasks:\n  train:\n    executor: slurm\n    run: echo begin; sleep 300\n',
    });
    const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = once(child, 'exit');
    let ctldUp = true;
    try {
      await waitFor(() => /\[train\] begin/.test(stdout), 60_000, 'the job to start');
      const [id] = queue();
      assert.ok(id, 'a job in the queue');
      const ctld = Number(fs.readFileSync(pidFile, 'utf8'));
      process.kill(ctld, 'SIGTERM');
      ctldUp = false;
      await waitFor(() => !fs.existsSync(`/proc/${ctld}`), 15_000, 'slurmctld to stop');
      child.kill('SIGINT');
      await waitFor(
        () => /\[train\] tributary: Slurm does not answer/.test(stdout),
        90_000,
        'the line saying Slurm does not answer',
      );
      child.kill('SIGINT');
      const [code] = await Promise.race([
        exited,
        new Promise<never>((_, no) =>
          setTimeout(() => no(new Error(`the runner did not exit:\n${stdout}`)), 90_000),
        ),
      ]);
      assert.equal(code, 130);
      const events = lastRun(dir);
      const train = finishedOf(events, 'train');
      assert.equal(train?.status, 'cancelled');
      assert.equal(train?.job, id);
      assert.match(
        train?.message ?? '',
        new RegExp(`Slurm job ${id}: Slurm did not confirm its end.*scancel ${id} is repeated`),
      );
      assert.equal(events.at(-1)?.event, 'run_finished');
      // Slurm back: the job the runner could not confirm is cancelled without anyone's help.
      execFileSync('/usr/sbin/slurmctld', [], { env: { ...process.env, ...env } });
      ctldUp = true;
      const empty = (): boolean => {
        try {
          return queue().length === 0;
        } catch {
          return false; // slurmctld still starting
        }
      };
      await waitFor(empty, 90_000, 'the job to be cancelled');
    } finally {
      child.kill('SIGKILL');
      if (!ctldUp) execFileSync('/usr/sbin/slurmctld', [], { env: { ...process.env, ...env } });
    }
  });
});

test(
  'Slurm installed but not set up (no slurm.conf): one line that says so, for the run and each task',
  {
    skip:
      !fs.existsSync('/usr/bin/sbatch') ||
      process.env.SLURM_CONF !== undefined ||
      fs.existsSync('/etc/slurm/slurm.conf')
        ? 'needs sbatch installed and no slurm.conf'
        : undefined,
  },
  async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': 'pipeline: nc\ntasks:\n  a:\n    executor: slurm\n    run: "true"\n',
    });
    const r = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir });
    assert.equal(r.code, 1);
    const says =
      /Slurm is not set up on this machine \((squeue|sbatch) found no slurm\.conf\): set SLURM_CONF, or run with --executor local/;
    assert.match(r.stdout, new RegExp(`\\[a\\] ✗ failed: sbatch failed: ${says.source}`));
    assert.match(r.stderr, says);
    assert.doesNotMatch(r.stdout + r.stderr, /fatal|\n\s+at /);
  },
);
