/**
 * A runner killed with -9 whose parent never collects it stays a zombie: it still answers
 * `kill -0` and /proc with its start time. It is dead all the same: status and history must not
 * call its run "running now", and the next run must take its lock over.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { readLock } from '../records/lock';
import { CLI, cli, tempDir, writeTree } from './cliHelpers';

const PIPELINE = `pipeline: z
tasks:
  slow:
    run: touch started && sleep 300
`;

async function until(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    assert.ok(Date.now() < end, `${what} within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function state(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0];
  } catch {
    return undefined;
  }
}

test('a runner killed -9 and left a zombie by its parent: status, history and the next run see it dead', async () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': PIPELINE });
  // sh starts the runner in the background, then becomes `sleep`, which never waits for it.
  const parent = spawn(
    'sh',
    ['-c', `"$0" "$1" run p.pipeline.yaml >/dev/null 2>&1 & exec sleep 300`, process.execPath, CLI],
    { cwd: dir, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } },
  );
  try {
    await until('the task started', () => fs.existsSync(path.join(dir, 'started')));
    const lock = readLock(path.join(dir, '.tributary', 'lock'));
    assert.ok(lock, 'the run holds the lock');
    process.kill(lock.pid, 'SIGKILL');
    await until('the runner is a zombie', () => state(lock.pid) === 'Z', 10_000);

    const status = cli(['status', 'p.pipeline.yaml'], { cwd: dir });
    assert.equal(status.code, 0, status.stderr);
    assert.doesNotMatch(status.stdout, /running now/);
    const history = cli(['history', 'p.pipeline.yaml', '--json'], { cwd: dir });
    assert.equal(history.code, 0, history.stderr);
    assert.equal(JSON.parse(history.stdout).runs[0].status, 'interrupted');

    fs.writeFileSync(
      path.join(dir, 'p.pipeline.yaml'),
      'pipeline: z\ntasks:\n  slow:\n    run: "true"\n',
    );
    const next = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stderr, new RegExp(`stale lock of run ${lock.run}`));
  } finally {
    parent.kill('SIGKILL');
  }
});
