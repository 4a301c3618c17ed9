/**
 * The runner killed (-9) while tasks run: the launcher that ends them writes in each task's log
 * when the runner stopped, and keeps what the task prints while it is ended, so `history` times a
 * task that printed nothing up to the runner's death, not up to its start (0 ms before).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { processesWith, waitFor } from './runHelpers';

const NOTE =
  /^tributary: the runner stopped at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d before this task ended \(killed\?\): the task is ended now$/m;

const left = (): number[] => [...processesWith('sleep 307'), ...processesWith('sleep 308')];

test('kill -9 of the runner: each live task log says when, keeps the task’s last words, and history times the silent task to that moment', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: killed
tasks:
  silent:
    run: touch silent.on; sleep 307
  chatty:
    run: |
      printf 'loading, no newline yet'
      trap 'echo; echo cleaning up; exit 3' TERM
      touch chatty.on
      sleep 308 & wait
`,
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml', '--workers', '2'], {
    cwd: dir,
    env: { TRIBUTARY_KILL_GRACE_MS: '2000' },
  });
  try {
    await waitFor(
      () =>
        fs.existsSync(path.join(dir, 'silent.on')) && fs.existsSync(path.join(dir, 'chatty.on')),
      30_000,
      'both tasks to start',
    );
    // The silent task writes no event and no log line from here on: 1.5 s of silence.
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    await once(child, 'exit');
    const logs = path.join(dir, '.tributary', 'logs');
    const [run] = fs.readdirSync(logs);
    assert.ok(run);
    const read = (t: string) => {
      const f = path.join(logs, run, `${t}.log`);
      return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
    };
    await waitFor(
      () => read('chatty').includes('cleaning up'),
      30_000,
      'chatty’s last words',
    ).catch((e) => {
      console.log(JSON.stringify(read('chatty')), JSON.stringify(read('silent')));
      throw e;
    });
    await waitFor(() => left().length === 0, 30_000, 'the tasks to be ended');
    assert.match(read('silent'), NOTE);
    const chatty = read('chatty');
    assert.match(chatty, NOTE);
    // The note starts a line of its own, after what the runner had written; the task's last words follow it.
    assert.match(chatty, /loading, no newline yet\ntributary: the runner stopped/);
    assert.ok(chatty.indexOf('cleaning up') > chatty.search(NOTE));

    const r = cli(['history', 'p.pipeline.yaml', '--json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const [h] = (
      JSON.parse(r.stdout) as {
        runs: { status: string; tasks: { task: string; status: string; duration_ms: number }[] }[];
      }
    ).runs;
    assert.equal(h?.status, 'interrupted');
    const silent = h?.tasks.find((t) => t.task === 'silent');
    assert.equal(silent?.status, 'interrupted');
    assert.ok((silent?.duration_ms ?? 0) >= 1500, `silent ran ${silent?.duration_ms} ms`);
    assert.ok(Number.isInteger(silent?.duration_ms), 'whole milliseconds');
  } finally {
    child.kill('SIGKILL');
    for (const pid of left()) process.kill(pid, 'SIGKILL');
  }
});
