/** `.tributary/lock`: another host's lock is never stale, takeovers have one winner, release is ours only. */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readLock, RunLock, takeOver } from '../records/lock';
import { cli, tempDir, writeTree } from './cliHelpers';
import { lastRun, runLogs } from './runHelpers';

const LOCK_MODULE = path.resolve(import.meta.dirname, '..', 'records', 'lock.ts');

/** A pid that was alive a moment ago and is not any more. */
function deadPid(): number {
  const r = spawnSync('true');
  return r.pid ?? 999_999;
}

function writeLock(dir: string, lock: Record<string, unknown>): string {
  const file = path.join(dir, '.tributary', 'lock');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(lock));
  return file;
}

const simple = 'pipeline: l\ntasks:\n  a:\n    run: echo a > a.txt\n    outputs: [a.txt]\n';

test('a lock from another host is never stale: refused with exit 2 naming host, pid and run; --break-lock takes it', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': simple });
  // A pid that is surely not alive here: on its own host it may well be.
  const theirs = {
    pid: deadPid(),
    run: '20260101T000000000Z-beef',
    file: 'p.pipeline.yaml',
    started: '2026-01-01T00:00:00.000Z',
    host: 'build-node-7',
  };
  const file = writeLock(dir, theirs);
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  for (const part of ['build-node-7', `pid ${theirs.pid}`, theirs.run, '--break-lock'])
    assert.ok(r.stderr.includes(part), `${part} in: ${r.stderr}`);
  assert.deepEqual(readLock(file), theirs, 'their lock is untouched');
  assert.equal(runLogs(dir).length, 0, 'nothing ran');

  const b = cli(['run', 'p.pipeline.yaml', '--break-lock'], { cwd: dir });
  assert.equal(b.code, 0, b.stderr);
  assert.match(
    b.stderr,
    /breaking the lock of run 20260101T000000000Z-beef, pid \d+ on host build-node-7/,
  );
  assert.ok(fs.existsSync(path.join(dir, 'a.txt')));
  assert.ok(!fs.existsSync(file), 'our lock is released after the run');
});

test('a live run on this host is refused even with --break-lock', () => {
  const dir = tempDir();
  const file = writeLock(dir, {
    pid: process.pid,
    run: 'R-live',
    file: 'p.pipeline.yaml',
    started: new Date().toISOString(),
    host: os.hostname(),
  });
  assert.throws(
    () => RunLock.acquire(file, { run: 'R2', file: 'p' }, { warn: () => {}, breakLock: true }),
    /already running \(run R-live, pid \d+ on host/,
  );
});

test('release removes only our own lock', () => {
  const dir = tempDir();
  const file = path.join(dir, '.tributary', 'lock');
  const lock = RunLock.acquire(file, { run: 'R1', file: 'p' }, { warn: () => {} });
  assert.equal(readLock(file)?.run, 'R1');
  // Someone broke our lock (--break-lock on another host) and holds it now.
  const other = { pid: 4242, run: 'R-other', file: 'p', started: 'x', host: 'elsewhere' };
  fs.writeFileSync(file, JSON.stringify(other));
  lock.release();
  assert.deepEqual(readLock(file), other);
  // Ours is removed.
  fs.rmSync(file);
  RunLock.acquire(file, { run: 'R3', file: 'p' }, { warn: () => {} }).release();
  assert.ok(!fs.existsSync(file));
});

/**
 * Starts `n` processes that wait (1 ms naps) for a start file, then all try to take `file` at once;
 * the winner holds it until every process has answered.
 */
async function race(file: string, n: number): Promise<string[]> {
  const dir = path.dirname(file);
  const go = path.join(dir, 'go');
  const done = path.join(dir, 'done');
  fs.rmSync(go, { force: true });
  fs.rmSync(done, { force: true });
  const script = `
    const fs = await import('node:fs');
    const m = await import(${JSON.stringify(LOCK_MODULE)});
    const { RunLock } = m.default ?? m;
    process.stdout.write('ready;');
    const nap = new Int32Array(new SharedArrayBuffer(4));
    while (!fs.existsSync(${JSON.stringify(go)})) Atomics.wait(nap, 0, 0, 1);
    try {
      const l = RunLock.acquire(${JSON.stringify(file)}, { run: 'R' + process.pid, file: 'p' }, { warn: () => {} });
      process.stdout.write('won');
      const t = setInterval(() => { if (fs.existsSync(${JSON.stringify(done)})) { clearInterval(t); l.release(); } }, 10);
    } catch (e) {
      process.stdout.write('refused: ' + e.message);
    }
  `;
  const outs: string[] = Array.from({ length: n }, () => '');
  const answered = (): number => outs.filter((o) => o.length > 'ready;'.length).length;
  const closed = outs.map(
    (_, i) =>
      new Promise<void>((resolve) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', '--input-type=module', '-e', script],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        );
        child.stdout.on('data', (c: Buffer) => {
          outs[i] += c.toString();
          if (answered() === n) fs.writeFileSync(done, '');
        });
        child.on('close', () => resolve());
      }),
  );
  while (outs.some((o) => !o.startsWith('ready;'))) await new Promise((r) => setTimeout(r, 10));
  fs.writeFileSync(go, '');
  await Promise.all(closed);
  return outs.map((o) => o.slice('ready;'.length));
}

test('two or more runners taking over one stale lock at once: exactly one wins', async () => {
  const dir = tempDir();
  const file = path.join(dir, '.tributary', 'lock');
  writeLock(dir, { pid: deadPid(), run: 'R-dead', file: 'p', started: 'x', host: os.hostname() });
  const outcomes = await race(file, 6);
  const won = outcomes.filter((o) => o === 'won');
  assert.equal(won.length, 1, outcomes.join('\n'));
  for (const o of outcomes.filter((x) => x !== 'won'))
    assert.match(o, /^refused: .*(already running|taking over|starting)/);
  assert.ok(!fs.existsSync(file), 'the winner released it');
  assert.ok(!fs.existsSync(`${file}.takeover`), 'no takeover marker left');
});

test('a stale lock of a dead run on this host is taken over with a warning', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': simple });
  writeLock(dir, {
    pid: deadPid(),
    run: 'R-dead',
    file: 'p.pipeline.yaml',
    started: 'x',
    host: os.hostname(),
  });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /taking over a stale lock of run R-dead/);
  assert.ok(lastRun(dir).some((e) => e.event === 'run_finished'));
  assert.ok(!fs.existsSync(path.join(dir, '.tributary', 'lock')));
});

test('a takeover re-checks the lock under its marker: a lock replaced since it was judged stale is left alone', () => {
  const dir = tempDir();
  const stale = { pid: deadPid(), run: 'R-dead', file: 'p', started: 'x', host: os.hostname() };
  const file = writeLock(dir, stale);
  // Between our judgement and our takeover, another runner took it over and is running.
  const winner = {
    pid: process.pid,
    run: 'R-winner',
    file: 'p',
    started: 'y',
    host: os.hostname(),
  };
  fs.writeFileSync(file, JSON.stringify(winner));
  const warnings: string[] = [];
  assert.equal(takeOver(file, stale, '{"run":"R-late"}', { warn: (m) => warnings.push(m) }), false);
  assert.deepEqual(readLock(file), winner);
  assert.deepEqual(warnings, []);
  // While another runner holds the takeover marker, we are refused rather than racing it.
  fs.writeFileSync(file, JSON.stringify(stale));
  fs.writeFileSync(`${file}.takeover`, '1');
  assert.throws(
    () => RunLock.acquire(file, { run: 'R2', file: 'p' }, { warn: () => {} }),
    /taking over its stale lock/,
  );
  assert.deepEqual(readLock(file), stale);
  // A marker left by a runner that died mid-takeover does not block forever.
  const old = new Date(Date.now() - 60_000);
  fs.utimesSync(`${file}.takeover`, old, old);
  RunLock.acquire(file, { run: 'R3', file: 'p' }, { warn: () => {} }).release();
  assert.ok(!fs.existsSync(file) && !fs.existsSync(`${file}.takeover`));
});

test('a lock whose pid was reused by another process (start time differs) is stale', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': simple });
  // This test's own pid is alive, but it is not the process that wrote the lock.
  writeLock(dir, {
    pid: process.pid,
    pidStart: '1',
    run: 'R-reused',
    file: 'p.pipeline.yaml',
    started: 'x',
    host: os.hostname(),
  });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /taking over a stale lock of run R-reused/);
  // Without a recorded start time a live pid is trusted: refused.
  writeLock(dir, { pid: process.pid, run: 'R-live', file: 'p', started: 'x', host: os.hostname() });
  assert.equal(cli(['run', 'p.pipeline.yaml', '--force'], { cwd: dir }).code, 2);
});

test('a foreign lock without file, run or start names what is known, never "undefined"', () => {
  const dir = tempDir();
  // Hand-made or written by another tool: only a pid and a host.
  const file = writeLock(dir, { pid: deadPid(), host: 'build-node-7' });
  let message = '';
  try {
    RunLock.acquire(file, { run: 'mine', file: 'p.pipeline.yaml' }, { warn: () => {} });
  } catch (e) {
    message = (e as Error).message;
  }
  assert.doesNotMatch(message, /undefined/, message);
  assert.match(message, /is running on another host/, message);
  assert.ok(message.includes(file), `names the lock file: ${message}`);
  assert.match(message, /pid \d+ on host build-node-7/, message);
  assert.ok(fs.existsSync(file), 'the foreign lock is left alone');
});
