/**
 * The Slurm executor against a real single-node cluster: jobs, output, exit codes, cancel, timeout,
 * a runner killed with its job running, and a slurmctld restart in the middle of a job.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliAsync, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun, processesWith, started, waitFor } from './runHelpers';
import { slurmUnavailable, startSlurm, type SlurmCluster } from './slurmCluster';

describe('slurm executor', { skip: slurmUnavailable() }, () => {
  let cluster: SlurmCluster;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    cluster = await startSlurm();
    env = { ...cluster.env, TRIBUTARY_SLURM_POLL_MS: '200' };
  });
  after(async () => cluster?.stop());

  test('run --executor slurm: each task is a job, in order, with its output in the log', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: hpc
tasks:
  make:
    run: echo "made on $SLURM_JOB_ID by $TRIBUTARY_TASK" | tee made.txt
    outputs: [made.txt]
  use:
    run: cat made.txt > used.txt
    inputs: [made.txt]
    outputs: [used.txt]
`,
    });
    const r = await cliAsync(['run', 'p.pipeline.yaml', '--executor', 'slurm'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /\[make\] made on \d+ by make/);
    assert.match(fs.readFileSync(path.join(dir, 'used.txt'), 'utf8'), /^made on \d+ by make/);
    const events = lastRun(dir);
    assert.deepEqual(finished(events), { make: 'success', use: 'success' });
    const starts = events.filter((e) => e.event === 'task_started');
    assert.ok(starts.every((e) => e.event === 'task_started' && e.executor === 'slurm'));
    const jobs = events.flatMap((e) => (e.event === 'task_finished' && e.job ? [e.job] : []));
    assert.equal(jobs.length, 2);
    // A second run skips both, as with the local executor.
    assert.equal(
      (await cliAsync(['run', 'p.pipeline.yaml', '--executor', 'slurm'], { cwd: dir, env })).code,
      0,
    );
    assert.deepEqual(finished(lastRun(dir)), { make: 'complete', use: 'complete' });
  });

  test("a failing job's exit code is the task's; its downstream is upstream_failed", async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml':
        'pipeline: f\ndefaults:\n  executor: slurm\ntasks:\n  bad:\n    run: echo "no rows" >&2; exit 3\n  after:\n    needs: [bad]\n    run: "true"\n',
    });
    const r = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(r.code, 1);
    const events = lastRun(dir);
    const bad = events.find((e) => e.event === 'task_finished' && e.task === 'bad');
    assert.ok(bad?.event === 'task_finished' && bad.exit_code === 3 && bad.status === 'failed');
    assert.match(bad.message ?? '', /Slurm job \d+ FAILED, exit code 3/);
    assert.equal(finished(events).after, 'upstream_failed');
    assert.match(r.stdout, /no rows/);
  });

  test('SIGINT cancels the job (scancel): cancelled, exit 130, no process left', async () => {
    const marker = `slurmmark${process.pid}x${Date.now()}`;
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: c\ntasks:\n  long:\n    executor: slurm\n    run: node -e "setInterval(() => {}, 1000)" ${marker}\n`,
    });
    const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    await waitFor(() => processesWith(marker).length > 0, 20_000, 'the job to start');
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 130);
    assert.deepEqual(processesWith(marker), []);
    assert.equal(finished(lastRun(dir)).long, 'cancelled');
  });

  test('a timeout cancels the job on time, not at the next whole minute', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml':
        'pipeline: t\ntasks:\n  slow:\n    executor: slurm\n    timeout: 1500ms\n    run: sleep 60\n',
    });
    const started = Date.now();
    const r = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(r.code, 1);
    assert.ok(Date.now() - started < 20_000);
    assert.equal(finished(lastRun(dir)).slow, 'timed_out');
  });

  /** A job that notes its id, idles while `slow` exists, then writes its output. */
  const noting = `pipeline: k
tasks:
  long:
    executor: slurm
    retries: 1
    retry_delay: 100ms
    run: echo "$SLURM_JOB_ID" >> jobs.txt; if [ -f slow ]; then sleep 120; fi; echo done > out.txt
    outputs: [out.txt]
`;
  const jobIds = (dir: string): string[] =>
    fs.existsSync(path.join(dir, 'jobs.txt'))
      ? fs.readFileSync(path.join(dir, 'jobs.txt'), 'utf8').trim().split('\n')
      : [];
  const job = (id: string): Record<string, string> =>
    Object.fromEntries(
      execFileSync('scontrol', ['show', 'job', '-o', id], { env: { ...process.env, ...env } })
        .toString()
        .trim()
        .split(/\s+/)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
    );

  async function killRunnerMidJob(alsoWatchdog: boolean) {
    const dir = writeTree(tempDir(), { slow: '', 'p.pipeline.yaml': noting });
    const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    await waitFor(() => jobIds(dir).length > 0, 30_000, 'the job to start');
    const run = lastRun(dir)[0]!.run;
    if (alsoWatchdog) {
      const dogs = processesWith('tributary-watchdog').filter((pid) =>
        fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(run),
      );
      assert.equal(dogs.length, 1);
      process.kill(dogs[0]!, 'SIGKILL');
    }
    child.kill('SIGKILL');
    await once(child, 'exit');
    return { dir, run, first: jobIds(dir)[0]! };
  }

  test('kill -9 of the runner: its watchdog cancels the running job within seconds', async () => {
    const { dir, first } = await killRunnerMidJob(false);
    await waitFor(() => job(first).JobState === 'CANCELLED', 10_000, 'the job to be cancelled');
    fs.rmSync(path.join(dir, 'slow'));
    const r = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(jobIds(dir).length, 2);
    assert.deepEqual(finished(lastRun(dir)), { long: 'success' });
  });

  test('runner and watchdog killed: the next run cancels the job before it submits again', async () => {
    const { dir, run, first } = await killRunnerMidJob(true);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(job(first).JobState, 'RUNNING');
    fs.rmSync(path.join(dir, 'slow'));
    const r = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`cancelling Slurm job\\(s\\) ${first} left running by run ${run}`),
    );
    const ids = jobIds(dir);
    assert.equal(ids.length, 2);
    const [old, next] = [job(first), job(ids[1]!)];
    assert.equal(old.JobState, 'CANCELLED');
    // Never two at once: the old job had ended when the new one was submitted.
    assert.ok(
      Date.parse(old.EndTime!) <= Date.parse(next.SubmitTime!),
      `${old.EndTime} ${next.SubmitTime}`,
    );
    assert.deepEqual(started(lastRun(dir)), ['long']);
  });

  test('slurmctld restarting mid-job: squeue fails for a while, the job is neither failed nor resubmitted', async () => {
    const conf = fs.readFileSync(env.SLURM_CONF!, 'utf8');
    const pidFile = /^SlurmctldPidFile=(.*)$/m.exec(conf)![1]!;
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': noting.replace('sleep 120', 'sleep 8'),
      slow: '',
    });
    const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    const exited = once(child, 'exit');
    await waitFor(() => jobIds(dir).length > 0, 30_000, 'the job to start');
    const ctld = Number(fs.readFileSync(pidFile, 'utf8'));
    process.kill(ctld, 'SIGTERM');
    await waitFor(() => !fs.existsSync(`/proc/${ctld}`), 15_000, 'slurmctld to stop');
    await new Promise((r) => setTimeout(r, 3000)); // several failed polls
    execFileSync('/usr/sbin/slurmctld', [], { env: { ...process.env, ...env } });
    const [code] = await exited;
    assert.equal(code, 0);
    assert.deepEqual(jobIds(dir).length, 1);
    const events = lastRun(dir);
    assert.deepEqual(started(events), ['long']);
    assert.deepEqual(finished(events), { long: 'success' });
  });
});

test('without Slurm on PATH, a slurm task fails with one clear line', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': 'pipeline: n\ntasks:\n  a:\n    executor: slurm\n    run: "true"\n',
  });
  const r = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env: { PATH: '/nonexistent' } });
  assert.equal(r.code, 1);
  assert.match(
    r.stdout,
    /sbatch failed: sbatch was not found: install the Slurm client tools, or run with --executor local/,
  );
});
