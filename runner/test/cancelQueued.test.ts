/** A run cancelled while tasks wait for a worker: those tasks read as not run, never as still queued. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { runStateFrom } from '../../core/run/state';
import { cliSpawn, tempDir, writeTree } from './cliHelpers';
import { lastRun, waitFor } from './runHelpers';

test('a run cancelled with tasks still queued ends with them pending, not queued', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: q
tasks:
  slow:
    run: touch started && sleep 30
  waiting_a:
    run: touch ran_a
  waiting_b:
    run: touch ran_b
`,
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml', '--workers', '1'], { cwd: dir });
  await waitFor(() => fs.existsSync(path.join(dir, 'started')), 15_000, 'the slow task to start');
  const queued = lastRun(dir)
    .filter((e) => e.event === 'task_queued')
    .map((e) => (e as { task: string }).task);
  assert.ok(queued.length >= 2, `the other tasks wait for the one worker: ${queued.join(', ')}`);
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  assert.equal(code, 130);
  const events = lastRun(dir);
  assert.equal(events.at(-1)?.event, 'run_finished');
  const state = runStateFrom(events);
  assert.equal(state.status, 'cancelled');
  const statuses = Object.fromEntries(
    Object.entries(state.tasks).map(([t, r]) => [t, r.state.status]),
  );
  assert.equal(statuses['slow'], 'cancelled');
  for (const t of ['waiting_a', 'waiting_b'])
    assert.equal(statuses[t] ?? 'pending', 'pending', `${t}: ${statuses[t]}`);
  assert.ok(
    !Object.values(statuses).includes('queued'),
    `no task reads queued: ${JSON.stringify(statuses)}`,
  );
  // They never ran, and only the running task is recorded started and finished.
  await new Promise((r) => setTimeout(r, 500));
  for (const f of ['ran_a', 'ran_b']) assert.ok(!fs.existsSync(path.join(dir, f)), `${f} exists`);
  assert.deepEqual(
    events
      .filter((e) => e.event === 'task_started' || e.event === 'task_finished')
      .map((e) => e.event + ' ' + (e as { task: string }).task),
    ['task_started slow', 'task_finished slow'],
  );
});
