/** Faults of the runner's own process: repeated signals, SIGHUP, a closed stdout, slow notifications. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun, processesWith, waitFor } from './runHelpers';

const uniq = () => `tribfault${process.pid}x${Math.random().toString(36).slice(2, 8)}`;
/** A process that ignores TERM (as a careless task might): only KILL ends it. Says when it is ready. */
const stubborn = (tag: string) =>
  `node -e "process.on('SIGTERM', () => {}); require('fs').writeFileSync(process.argv[1] + '.ready', ''); setInterval(() => {}, 1000)" ${tag}`;

function pipeline(marker: string): string {
  return `pipeline: f
tasks:
  a:
    run: |
      ${stubborn(marker + '-x')} & ${stubborn(marker + '-y')}; wait
  b:
    run: |
      ${stubborn(marker + '-z')}
  after:
    needs: [a]
    run: "true"
`;
}

/** How many task processes have their TERM handler in place. */
function ready(dir: string): number {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ready')).length;
}

function assertClosed(dir: string): void {
  const events = lastRun(dir);
  const end = events.at(-1);
  assert.ok(end?.event === 'run_finished' && end.status === 'cancelled', JSON.stringify(end));
  const f = finished(events);
  assert.equal(f.a, 'cancelled');
  assert.equal(f.b, 'cancelled');
  assert.ok(!fs.existsSync(path.join(dir, '.tributary/lock')), 'the lock is released');
}

for (const [first, second] of [
  ['SIGINT', 'SIGINT'],
  ['SIGTERM', 'SIGINT'],
] as const) {
  test(`${first} then ${second}: tasks that ignore TERM are KILLed at once, the record is closed, the lock released, exit 130`, async () => {
    const marker = uniq();
    const dir = writeTree(tempDir(), { 'p.pipeline.yaml': pipeline(marker) });
    // A grace period far longer than the test: only the second signal can end it in time.
    const child = cliSpawn(['run', 'p.pipeline.yaml', '--workers', '2'], {
      cwd: dir,
      env: { TRIBUTARY_KILL_GRACE_MS: '60000' },
    });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    await waitFor(() => ready(dir) === 3, 15_000, 'the task processes');
    child.kill(first);
    await waitFor(() => stderr.includes('cancelling'), 5000, 'the first signal to be seen');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(processesWith(marker + '-z').length, 1, 'TERM alone does not stop b');
    const t0 = Date.now();
    child.kill(second);
    const [code] = await once(child, 'exit');
    assert.ok(Date.now() - t0 < 5000, `exited ${Date.now() - t0} ms after the second signal`);
    assert.equal(code, 130, stderr);
    assert.deepEqual(processesWith(marker), []);
    assertClosed(dir);
    assert.doesNotMatch(stderr, /at .*\.js:\d+/);
    // Cancelled tasks are not failures: the summary counts them apart.
    assert.match(stdout, /cancelled: 2 ran, 0 succeeded, 0 failed or blocked, 2 cancelled,/);
  });
}

test('SIGHUP (the terminal closed) cancels like SIGTERM: record closed, groups stopped, lock released', async () => {
  const marker = uniq();
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': pipeline(marker) });
  const child = cliSpawn(['run', 'p.pipeline.yaml', '--workers', '2'], {
    cwd: dir,
    env: { TRIBUTARY_KILL_GRACE_MS: '500' },
  });
  await waitFor(() => processesWith(marker).length >= 3, 15_000, 'the task processes');
  child.kill('SIGHUP');
  const [code] = await once(child, 'exit');
  assert.equal(code, 130);
  assert.deepEqual(processesWith(marker), []);
  assertClosed(dir);
});

test('stdout closed early (| head -1): no EPIPE crash, the run is cancelled cleanly, nothing left behind', async () => {
  const marker = uniq();
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: h
tasks:
  chatty:
    run: |
      for i in $(seq 1 100000); do echo line $i; done; ${stubborn(marker)}
  b:
    run: |
      ${stubborn(marker + '-b')}
`,
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml', '--workers', '2'], {
    cwd: dir,
    env: { TRIBUTARY_KILL_GRACE_MS: '500' },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // Read the first chunk, then close the pipe as `head -1` does.
  await once(child.stdout, 'data');
  child.stdout.destroy();
  const [code] = await once(child, 'exit');
  assert.equal(code, 130, stderr);
  assert.doesNotMatch(stderr, /EPIPE|internal error|\n\s+at /, stderr);
  assert.match(stderr, /stdout was closed/);
  await waitFor(() => processesWith(marker).length === 0, 5000, 'no task process left');
  const end = lastRun(dir).at(-1);
  assert.ok(end?.event === 'run_finished' && end.status === 'cancelled', JSON.stringify(end));
  assert.ok(!fs.existsSync(path.join(dir, '.tributary/lock')));
});

test('notifications run after the lock is released: a slow notify.command does not hold the next run', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: n
params:
  ok: "no"
tasks:
  a:
    run: test "\${params.ok}" = yes
notify:
  command:
    run: 'sleep 4; echo sent > notified.txt'
    on: [failure]
`,
  });
  // The first run fails and mails slowly; the second succeeds (no notification of its own).
  const first = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir });
  await waitFor(
    () => lastRun(dir).some((e) => e.event === 'run_finished'),
    15_000,
    'the first run to finish',
  );
  const second = cli(['run', 'p.pipeline.yaml', '--param', 'ok=yes'], { cwd: dir });
  assert.equal(second.code, 0, second.stderr);
  assert.equal(first.exitCode, null, 'the first runner is still notifying');
  assert.ok(!fs.existsSync(path.join(dir, 'notified.txt')));
  const [code] = await once(first, 'exit');
  assert.equal(code, 1);
  assert.ok(fs.existsSync(path.join(dir, 'notified.txt')));
});

test('serve: SIGHUP stops it like SIGTERM: the running task is cancelled, its record closed, the lock released', async () => {
  const marker = uniq();
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: s
schedule: "* * * * * *"
tasks:
  long:
    run: |
      ${stubborn(marker)}
`,
  });
  const child = cliSpawn(['serve', '.'], { cwd: dir, env: { TRIBUTARY_KILL_GRACE_MS: '500' } });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await waitFor(() => ready(dir) === 1, 15_000, 'the scheduled task');
  child.kill('SIGHUP');
  const [code] = await once(child, 'exit');
  assert.equal(code, 0, out);
  assert.match(out, /SIGHUP: stopping/);
  assert.deepEqual(processesWith(marker), []);
  const end = lastRun(dir).at(-1);
  assert.ok(end?.event === 'run_finished' && end.status === 'cancelled', JSON.stringify(end));
  assert.ok(!fs.existsSync(path.join(dir, '.tributary/lock')));
});

test('serve: a second signal KILLs a task that ignores TERM at once; the record is still closed and the lock released', async () => {
  const marker = uniq();
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: s2
schedule: "* * * * * *"
tasks:
  long:
    run: |
      ${stubborn(marker)}
`,
  });
  // A grace period far longer than the test: only the second signal can end the task in time.
  const child = cliSpawn(['serve', '.'], { cwd: dir, env: { TRIBUTARY_KILL_GRACE_MS: '60000' } });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await waitFor(() => ready(dir) === 1, 15_000, 'the scheduled task');
  child.kill('SIGTERM');
  await waitFor(() => out.includes('SIGTERM: stopping'), 5000, 'the first signal to be seen');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(processesWith(marker).length, 1, 'TERM alone does not stop the task');
  const t0 = Date.now();
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  assert.ok(Date.now() - t0 < 5000, `exited ${Date.now() - t0} ms after the second signal`);
  assert.equal(code, 0, out);
  assert.match(out, /SIGINT: killing running tasks now/);
  assert.deepEqual(processesWith(marker), []);
  const end = lastRun(dir).at(-1);
  assert.ok(end?.event === 'run_finished' && end.status === 'cancelled', JSON.stringify(end));
  assert.ok(!fs.existsSync(path.join(dir, '.tributary/lock')));
});

test('a signal while only notifications are left exits at once (the record and the lock are closed already)', async () => {
  const marker = uniq();
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: n
tasks:
  a:
    run: echo a
notify:
  command:
    run: 'sleep 30; echo ${marker}'
    on: [success]
`,
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  await waitFor(
    () => lastRun(dir).some((e) => e.event === 'run_finished'),
    15_000,
    'the run to finish',
  );
  await waitFor(() => !fs.existsSync(path.join(dir, '.tributary/lock')), 5000, 'lock released');
  const t0 = Date.now();
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  assert.equal(code, 130);
  assert.ok(Date.now() - t0 < 3000, 'it did not wait for the notification');
  assert.match(stderr, /the run is over; not waiting for its notifications/);
  // KILLed before the exit; on a loaded machine the kernel may take a moment to end it.
  await waitFor(() => processesWith(marker).length === 0, 2000, 'the hook to be stopped too');
});
