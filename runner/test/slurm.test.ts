/** The Slurm executor against a real single-node cluster: jobs, output, exit codes, cancel, timeout. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliAsync, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun, processesWith, waitFor } from './runHelpers';
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
