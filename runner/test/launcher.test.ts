/** The local executor with and without the task launcher: same environment, results, cancel and timeout. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { LocalExecutor } from '../executors/local';
import type { Attempt, AttemptResult } from '../executors/types';
import { tempDir } from './cliHelpers';
import { processesWith } from './runHelpers';

function attempt(over: Partial<Attempt> & { command: string }, out: string[]): Attempt {
  return {
    task: 't',
    cwd: tempDir(),
    env: { ...process.env },
    onOutput: (_s, c) => out.push(c.toString()),
    ...over,
  };
}

async function runOne(ex: LocalExecutor, a: Attempt): Promise<AttemptResult> {
  return ex.start(a).done;
}

for (const launcher of [true, false]) {
  describe(launcher ? 'with the launcher' : 'with Node spawn', () => {
    const ex = () => new LocalExecutor('/bin/bash', 500, { launcher });

    test('the environment is exactly the attempt’s: values byte for byte, removed variables unset', async () => {
      const out: string[] = [];
      const weird = 'a\nb "c" $(touch PWNED) `id` \'d\' x=y';
      const env: NodeJS.ProcessEnv = { ...process.env, WEIRD: weird, TRIBUTARY_TASK: 't' };
      delete env.HOME;
      const a = attempt(
        { command: 'printf "%s|" "$WEIRD" "${HOME-unset}" "$TRIBUTARY_TASK"; pwd', env },
        out,
      );
      const e = ex();
      const r = await runOne(e, a);
      await e.dispose?.();
      assert.equal(r.status, 'success');
      assert.equal(out.join(''), `${weird}|unset|t|${fs.realpathSync(a.cwd)}\n`);
      assert.ok(!fs.existsSync(path.join(a.cwd, 'PWNED')));
    });

    test('exit codes and signals are the task’s', async () => {
      const e = ex();
      const failed = await runOne(e, attempt({ command: 'exit 3' }, []));
      assert.deepEqual(
        [failed.status, failed.exitCode, failed.message],
        ['failed', 3, 'exit code 3'],
      );
      const killed = await runOne(e, attempt({ command: 'kill -9 $$' }, []));
      assert.equal(killed.status, 'failed');
      assert.equal(killed.message, 'killed by SIGKILL');
      await e.dispose?.();
    });

    test('cancel ends the whole group, even a child that ignores TERM; timeout likewise', async () => {
      const marker = `launchmark${process.pid}x${launcher}x${Date.now()}`;
      const e = ex();
      const cmd = `bash -c 'trap "" TERM; while :; do sleep 0.1; done; : ${marker}' & sleep 30; echo ${marker}`;
      const running = e.start(attempt({ command: cmd }, []));
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(processesWith(marker).length > 0);
      running.cancel();
      const r = await running.done;
      assert.equal(r.status, 'cancelled');
      assert.deepEqual(processesWith(marker), []);
      // A forced cancel (second Ctrl+C) does not wait for the grace period.
      const slow = new LocalExecutor('/bin/bash', 20_000, { launcher });
      const again = slow.start(attempt({ command: cmd }, []));
      await new Promise((r) => setTimeout(r, 300));
      const at = Date.now();
      again.cancel();
      again.cancel(true);
      assert.equal((await again.done).status, 'cancelled');
      assert.ok(Date.now() - at < 5000, `forced cancel took ${Date.now() - at} ms`);
      assert.deepEqual(processesWith(marker), []);
      await slow.dispose?.();
      const t = await runOne(e, attempt({ command: cmd, timeoutMs: 300 }, []));
      assert.equal(t.status, 'timed_out');
      assert.deepEqual(processesWith(marker), []);
      await e.dispose?.();
    });
  });
}

test('with the launcher, output arrives whole and in order: large, binary, interleaved, reopened', async () => {
  const e = new LocalExecutor('/bin/bash', 500, { launcher: true });
  // 3 tasks at once, each writing 4 MB of every byte value in pieces, lines to both streams
  // and through /dev/stdout: each task's bytes are exactly its own, nothing lost or mixed.
  const script = (tag: string) =>
    `for i in $(seq 64); do head -c 65536 /dev/zero | tr '\\0' '${tag}'; printf '\\x00\\xff\\n'; echo err$i >&2; echo dev$i > /dev/stdout; done`;
  const tags = ['a', 'b', 'c'];
  const outs = tags.map(() => [] as Buffer[]);
  const runs = tags.map(
    (tag, i) =>
      e.start({
        task: tag,
        cwd: tempDir(),
        env: { ...process.env },
        command: script(tag),
        onOutput: (_s, c) => outs[i]!.push(Buffer.from(c)),
      }).done,
  );
  const results = await Promise.all(runs);
  await e.dispose?.();
  tags.forEach((tag, i) => {
    assert.equal(results[i]!.status, 'success');
    const got = Buffer.concat(outs[i]!);
    const want: Buffer[] = [];
    for (let n = 1; n <= 64; n++)
      want.push(
        Buffer.alloc(65536, tag),
        Buffer.from([0, 0xff, 0x0a]),
        Buffer.from(`err${n}\ndev${n}\n`),
      );
    assert.ok(got.equals(Buffer.concat(want)), `task ${tag}: ${got.length} bytes, not as written`);
  });
});

test('with the launcher, a missing cwd fails with one clear line', async () => {
  const e = new LocalExecutor('/bin/bash', 500, { launcher: true });
  const r = await runOne(e, attempt({ command: 'true', cwd: '/no/such/folder' }, []));
  await e.dispose?.();
  assert.equal(r.status, 'failed');
  assert.equal(r.message, 'cwd /no/such/folder does not exist');
});

test('a launcher killed on its own: its task is ended and reported, later tasks are spawned by Node', async () => {
  const run = `lt${process.pid}x${Date.now()}`;
  const marker = `lostmark${process.pid}y${Date.now()}`;
  const e = new LocalExecutor('/bin/bash', 500, { launcher: true });
  const env = { ...process.env, TRIBUTARY_RUN_ID: run };
  const first = e.start(attempt({ command: `sleep 30; echo ${marker}`, env }, []));
  await new Promise((r) => setTimeout(r, 300));
  const launchers = processesWith(run); // the launcher's command line ends with the run id
  assert.equal(launchers.length, 1);
  process.kill(launchers[0]!, 'SIGKILL');
  const r = await first.done;
  assert.equal(r.status, 'failed');
  assert.deepEqual(processesWith(marker), []);
  const out: string[] = [];
  const next = await runOne(e, attempt({ command: 'echo again', env }, out));
  assert.equal(next.status, 'success');
  assert.equal(out.join(''), 'again\n');
  await e.dispose?.();
});
