/** Contract audit (sections 4, 5): `history` and `status` while a run is going say running, not interrupted or failed. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { waitFor } from './runHelpers';

test('history of a run still going: the run and its started task read running; once cancelled, cancelled', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: going
tasks:
  quick:
    run: echo quick
  slow:
    needs: [quick]
    run: touch started.flag; sleep 60
`,
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir });
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    await waitFor(() => fs.existsSync(path.join(dir, 'started.flag')), 60_000, 'slow to start');
    const json = cli(['history', 'p.pipeline.yaml', '--json'], { cwd: dir });
    assert.equal(json.code, 0, json.stderr);
    const [run] = (
      JSON.parse(json.stdout) as {
        runs: { status: string; tasks: { task: string; status: string }[] }[];
      }
    ).runs;
    assert.equal(run!.status, 'running');
    assert.deepEqual(Object.fromEntries(run!.tasks.map((t) => [t.task, t.status])), {
      quick: 'success',
      slow: 'running',
    });
    const text = cli(['history', 'p.pipeline.yaml'], { cwd: dir });
    assert.match(text.stdout.split('\n')[0]!, /\srunning\s/);
    assert.doesNotMatch(text.stdout, /interrupted/);
    // status: the running task is still to finish (stale, running now), not a failed attempt.
    const st = cli(['status', 'p.pipeline.yaml', '--json'], { cwd: dir });
    assert.equal(st.code, 0, st.stderr);
    const slow = (
      JSON.parse(st.stdout) as { tasks: { task: string; state: string; reason: string }[] }
    ).tasks.find((t) => t.task === 'slow');
    assert.equal(slow?.state, 'stale');
    assert.match(slow?.reason ?? '', /^running now \(run \S+\)$/);
    assert.doesNotMatch(
      cli(['status', 'p.pipeline.yaml'], { cwd: dir }).stdout,
      /failed|did not finish/,
    );
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 130);
  const after = JSON.parse(cli(['history', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout) as {
    runs: { status: string }[];
  };
  assert.equal(after.runs[0]!.status, 'cancelled');
});
