/** `tributary history` of a cancelled or killed run names the planned tasks that never started. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { lastRun, processesWith, waitFor } from './runHelpers';

/** Four tasks in a chain; the second sleeps (a marker in its command line finds its process). */
function pipeline(marker: string): string {
  return `pipeline: chain
tasks:
  extract:
    run: echo rows > raw.txt
    outputs: [raw.txt]
  clean:
    needs: [extract]
    run: touch clean-started && sleep ${marker} && cp raw.txt clean.txt
    outputs: [clean.txt]
  train:
    needs: [clean]
    run: cp clean.txt model.txt
    outputs: [model.txt]
  deploy:
    needs: [train]
    run: cp model.txt deployed.txt
    outputs: [deployed.txt]
`;
}

interface Run {
  status: string;
  not_started?: string[];
  complete?: string[];
  upstream_failed?: string[];
  tasks: { task: string; status: string }[];
}

function historyJson(dir: string): Run[] {
  const r = cli(['history', '--json', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { runs: Run[] }).runs;
}

/** Starts the run and waits until task 2 (clean) sleeps. */
async function runUntilCleanSleeps(): Promise<{
  dir: string;
  marker: string;
  child: ReturnType<typeof cliSpawn>;
}> {
  // A sleep no other test runs: 300 s plus a random fraction.
  const marker = `300.${Math.floor(Math.random() * 1e6)}`;
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': pipeline(marker) });
  const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir });
  await waitFor(
    () => fs.existsSync(path.join(dir, 'clean-started')),
    60_000,
    'task 2 (clean) to start',
  );
  return { dir, marker, child };
}

test('a run cancelled (SIGINT) while task 2 of 4 sleeps: history names train and deploy as not run (cancelled)', async () => {
  const { dir, child } = await runUntilCleanSleeps();
  // While it runs, the tasks still ahead are waiting, not "not started".
  const live = historyJson(dir)[0];
  assert.equal(live?.status, 'running');
  assert.deepEqual(live?.not_started, []);
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  assert.equal(code, 130);
  // Nothing was written per unstarted task: the record has no event naming train or deploy.
  const named = lastRun(dir).filter(
    (e) => 'task' in e && (e.task === 'train' || e.task === 'deploy'),
  );
  assert.deepEqual(named, []);

  const [run] = historyJson(dir);
  assert.ok(run);
  assert.equal(run.status, 'cancelled');
  assert.deepEqual(
    run.tasks.map((t) => [t.task, t.status]),
    [
      ['extract', 'success'],
      ['clean', 'cancelled'],
    ],
  );
  assert.deepEqual(run.not_started, ['train', 'deploy']);
  assert.deepEqual(run.upstream_failed, []);
  assert.deepEqual(run.complete, []);

  const text = cli(['history', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.split('\n');
  assert.match(lines[0]!, /cancelled .* 2 ran, 0 complete, 2 not started$/);
  assert.ok(
    lines.includes('  not run (cancelled): train, deploy'),
    `no "not run (cancelled)" line in:\n${text.stdout}`,
  );
});

test('a run whose runner was killed (-9) while task 2 of 4 sleeps: not run (interrupted)', async () => {
  const { dir, marker, child } = await runUntilCleanSleeps();
  child.kill('SIGKILL');
  await once(child, 'exit');
  try {
    const [run] = historyJson(dir);
    assert.ok(run);
    assert.equal(run.status, 'interrupted');
    assert.deepEqual(run.not_started, ['train', 'deploy']);
    assert.deepEqual(
      run.tasks.map((t) => [t.task, t.status]),
      [
        ['extract', 'success'],
        ['clean', 'interrupted'],
      ],
    );
    const text = cli(['history', 'p.pipeline.yaml'], { cwd: dir });
    assert.ok(
      text.stdout.split('\n').includes('  not run (interrupted): train, deploy'),
      text.stdout,
    );
  } finally {
    // The sleeper outlives a runner killed with -9 only until its orphan guard notices: not
    // left to this test's timing.
    for (const pid of processesWith(`sleep ${marker}`)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
  }
});

test('a run that finished has no not-started tasks, and its text no such line', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': pipeline('0') });
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  const [run] = historyJson(dir);
  assert.equal(run?.status, 'success');
  assert.deepEqual(run?.not_started, []);
  const text = cli(['history', 'p.pipeline.yaml'], { cwd: dir }).stdout;
  assert.doesNotMatch(text, /not started|not run/);
});

test('a partitioned run cancelled mid-way: not_started names instances, and --partition keeps its own', async () => {
  const marker = `300.${Math.floor(Math.random() * 1e6)}`;
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: regions
partitions: { values: [eu, us] }
tasks:
  extract:
    run: touch "started-\${partition}" && sleep ${marker} && echo x > "\${partition}.txt"
    outputs: ["\${partition}.txt"]
  report:
    needs: [extract]
    run: echo done
`,
  });
  const child = cliSpawn(
    ['run', 'p.pipeline.yaml', '--partition', 'eu', '--partition', 'us', '--workers', '1'],
    { cwd: dir },
  );
  await waitFor(
    () => fs.readdirSync(dir).some((f) => f.startsWith('started-')),
    60_000,
    'the first extract to start',
  );
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  assert.equal(code, 130);
  const first = fs
    .readdirSync(dir)
    .find((f) => f.startsWith('started-'))!
    .slice('started-'.length);
  const other = first === 'eu' ? 'us' : 'eu';
  const [run] = historyJson(dir);
  assert.deepEqual(run?.not_started, [`extract@${other}`, 'report']);
  const r = cli(['history', '--json', 'p.pipeline.yaml', '--partition', other], { cwd: dir });
  const [mine] = (JSON.parse(r.stdout) as { runs: Run[] }).runs;
  assert.deepEqual(mine?.not_started, [`extract@${other}`]);
  assert.deepEqual(mine?.tasks, []);
});
