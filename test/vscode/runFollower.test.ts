/** The run follower without VS Code: a real `tributary run` in another process is seen live, once, to its end or its death. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../core/run/events';
import { RecordTail } from '../../extension/recordTail';
import { FolderFollower, type FollowSink } from '../../extension/runFollower';
import { startTime } from '../../runner/executors/procInfo';
import { ROOT } from './harness';

const CLI = path.join(ROOT, 'dist', 'cli.js');
const HOLD = `pipeline: hold
tasks:
  hold:
    run: while [ ! -f go ]; do sleep 0.05; done; echo held > held.txt
    outputs: [held.txt]
  after:
    needs: [hold]
    run: echo after > after.txt
    outputs: [after.txt]
`;

function folder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-follow-'));
  fs.writeFileSync(path.join(dir, 'hold.pipeline.yaml'), HOLD);
  return dir;
}

function run(dir: string): ChildProcess {
  return spawn(process.execPath, [CLI, 'run', 'hold.pipeline.yaml'], {
    cwd: dir,
    stdio: 'ignore',
  });
}

class Sink implements FollowSink {
  runs: string[] = [];
  events: RunEvent[] = [];
  why: string[] = [];
  own: (id: string) => boolean | 'unknown' = () => false;
  owns(_file: string, id: string) {
    return this.own(id);
  }
  started(file: string, id: string) {
    this.runs.push(`${path.basename(file)} ${id}`);
  }
  event(_file: string, _id: string, e: RunEvent) {
    this.events.push(e);
  }
  lost(_file: string, _id: string, why: string) {
    this.why.push(why);
  }
}

async function waitFor<T>(probe: () => T | undefined | false, what: string, ms = 20_000) {
  const start = Date.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a record read in pieces: only whole lines, a torn line and a split UTF-8 character wait', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-tail-'));
  const file = path.join(dir, 'r.jsonl');
  const tail = new RecordTail(file);
  assert.deepEqual(tail.read(), [], 'no file yet');
  const line = JSON.stringify({
    ts: '2026-01-01T00:00:00.000Z',
    event: 'task_queued',
    run: 'r',
    task: 'héllo',
  });
  const bytes = Buffer.from(line + '\n');
  const cut = bytes.indexOf(Buffer.from('é')) + 1; // inside the two bytes of é
  fs.writeFileSync(file, bytes.subarray(0, cut));
  assert.deepEqual(tail.read(), []);
  fs.appendFileSync(file, bytes.subarray(cut, bytes.length - 1));
  assert.deepEqual(tail.read(), [], 'no newline yet: the line may still grow');
  fs.appendFileSync(file, '\n{"torn":');
  const got = tail.read();
  assert.equal(got.length, 1);
  assert.equal(got[0]?.event === 'task_queued' && got[0].task, 'héllo');
  fs.appendFileSync(file, ' 1}\n');
  assert.deepEqual(tail.read(), [], 'a foreign line is skipped');
  assert.deepEqual(tail.read(), [], 'nothing read twice');
});

test('a run started in another process is followed live: running, then its end, each event once', async () => {
  const dir = folder();
  const sink = new Sink();
  // A long poll: what arrives quickly here came through the watch.
  const f = new FolderFollower(dir, sink, { pollMs: 60_000, watch: true });
  f.start();
  // The first run creates .tributary/runs: the follower's poll must find it; tick by hand once.
  const child = run(dir);
  try {
    await waitFor(() => fs.existsSync(path.join(dir, '.tributary', 'runs')), 'the runs folder');
    f.tick();
    await waitFor(
      () => sink.events.some((e) => e.event === 'task_started' && e.task === 'hold'),
      'hold to be seen running',
    );
    assert.equal(sink.runs.length, 1);
    assert.match(sink.runs[0]!, /^hold\.pipeline\.yaml /);
    assert.ok(!sink.events.some((e) => e.event === 'task_finished'), 'hold still waits');
    fs.writeFileSync(path.join(dir, 'go'), '');
    await waitFor(() => sink.events.some((e) => e.event === 'run_finished'), 'the run to end');
    const names = sink.events.map((e) => e.event + ('task' in e ? ` ${e.task}` : ''));
    assert.deepEqual(
      names.filter((n) => n.startsWith('task_started') || n.startsWith('task_finished')),
      ['task_started hold', 'task_finished hold', 'task_started after', 'task_finished after'],
    );
    assert.equal(names.filter((n) => n === 'run_started').length, 1);
    assert.deepEqual(sink.why, []);
  } finally {
    child.kill('SIGKILL');
    f.dispose();
  }
});

test('a runner killed with -9 is seen gone at the next poll; a run this window owns is not followed', async () => {
  const dir = folder();
  fs.mkdirSync(path.join(dir, '.tributary', 'runs'), { recursive: true });
  const sink = new Sink();
  const f = new FolderFollower(dir, sink, { pollMs: 200, watch: true });
  f.start();
  const child = run(dir);
  try {
    await waitFor(
      () => sink.events.some((e) => e.event === 'task_started' && e.task === 'hold'),
      'hold to be seen running',
    );
    child.kill('SIGKILL');
    await waitFor(() => sink.why.length > 0, 'the dead runner to be noticed', 5000);
    assert.match(sink.why[0]!, /pid \d+\) stopped without finishing/);
    assert.ok(!sink.events.some((e) => e.event === 'run_finished'));
  } finally {
    child.kill('SIGKILL');
  }
  // Our own run: undecided while its id is unknown, then ours: never reported.
  const own = new Sink();
  let asked = 0;
  own.own = () => (++asked < 3 ? 'unknown' : true);
  const g = new FolderFollower(dir, own, { pollMs: 100, watch: true });
  g.start();
  fs.writeFileSync(path.join(dir, 'go'), '');
  const second = spawn(process.execPath, [CLI, 'run', 'hold.pipeline.yaml'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let said = '';
  second.stderr!.on('data', (b: Buffer) => (said += b.toString()));
  try {
    const code = await new Promise<number | null>((r) => second.on('exit', (c) => r(c)));
    assert.equal(code, 0, `the second run ran (it said: ${said.trim()})`);
    // Each look at the record asks; the third answer is "ours" and ends the asking.
    await waitFor(() => asked >= 3, 'asked again while unknown', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(own.runs, []);
    assert.deepEqual(own.events, []);
  } finally {
    f.dispose();
    g.dispose();
  }
});

test('a run already going when the folder is first looked at is followed from its start; finished ones are not replayed', async () => {
  const dir = folder();
  fs.writeFileSync(path.join(dir, 'go'), '');
  // A finished run first: history, never shown as live.
  const done = run(dir);
  await new Promise<void>((r) => done.on('exit', () => r()));
  for (const f of ['go', 'held.txt', 'after.txt']) fs.rmSync(path.join(dir, f));
  const child = run(dir);
  const runs = path.join(dir, '.tributary', 'runs');
  try {
    // The second run's record exists and its hold task runs before anyone looks.
    const going = (f: string) => {
      const text = fs.readFileSync(path.join(runs, f), 'utf8');
      return text.includes('"task":"hold"') && !text.includes('run_finished');
    };
    await waitFor(() => fs.readdirSync(runs).some(going), 'the second run to start hold');
    const sink = new Sink();
    const f = new FolderFollower(dir, sink, { pollMs: 60_000, watch: true });
    f.start();
    try {
      assert.equal(sink.runs.length, 1, 'only the run holding the lock');
      assert.equal(sink.events[0]?.event, 'run_started', 'from its first event');
      assert.ok(sink.events.some((e) => e.event === 'task_started' && e.task === 'hold'));
      fs.writeFileSync(path.join(dir, 'go'), '');
      await waitFor(() => sink.events.some((e) => e.event === 'run_finished'), 'its end');
      assert.equal(sink.events.filter((e) => e.event === 'run_started').length, 1);
    } finally {
      f.dispose();
    }
  } finally {
    child.kill('SIGKILL');
  }
});

test('the runs folder deleted and made again by the next run: the watch follows the new folder', async () => {
  const dir = folder();
  const sink = new Sink();
  fs.writeFileSync(path.join(dir, 'go'), '');
  const first = run(dir);
  await new Promise<void>((r) => first.on('exit', () => r()));
  const f = new FolderFollower(dir, sink, { pollMs: 60_000, watch: true });
  f.start();
  fs.rmSync(path.join(dir, '.tributary', 'runs'), { recursive: true });
  for (const x of ['go', 'held.txt', 'after.txt']) fs.rmSync(path.join(dir, x));
  const child = run(dir);
  try {
    await waitFor(() => fs.existsSync(path.join(dir, '.tributary', 'runs')), 'the new runs folder');
    f.tick(); // the poll's one look; from here on only the watch reports
    await waitFor(
      () => sink.events.some((e) => e.event === 'task_started' && e.task === 'hold'),
      'hold running',
    );
    fs.writeFileSync(path.join(dir, 'go'), '');
    // Generous: under the full suite's load the run's end came later than 10 s once.
    await waitFor(() => sink.events.some((e) => e.event === 'run_finished'), 'its end', 30_000);
  } finally {
    child.kill('SIGKILL');
    f.dispose();
  }
});

test('a runs folder made again at once, with the freed inode number ext4 hands it, is watched anew', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-follow-ino-'));
  const runs = path.join(dir, '.tributary', 'runs');
  fs.mkdirSync(runs, { recursive: true });
  const ev = (id: string, o: object) =>
    JSON.stringify({ ts: new Date().toISOString(), run: id, ...o }) + '\n';
  const started = (id: string) =>
    ev(id, { event: 'run_started', file: 'p.pipeline.yaml', params: {} });
  fs.writeFileSync(
    path.join(runs, '20260101T000000Z-old0.jsonl'),
    started('20260101T000000Z-old0'),
  );
  const sink = new Sink();
  const f = new FolderFollower(dir, sink, { pollMs: 60_000, watch: true });
  f.start();
  try {
    const was = fs.statSync(runs).ino;
    fs.rmSync(runs, { recursive: true });
    fs.mkdirSync(runs);
    const reused = fs.statSync(runs).ino === was;
    f.tick(); // the poll's one look, before the old watch's "folder gone" is read
    const id = '20260101T000001Z-new0';
    fs.writeFileSync(path.join(runs, `${id}.jsonl`), started(id));
    fs.appendFileSync(
      path.join(runs, `${id}.jsonl`),
      ev(id, { event: 'task_started', task: 'a', attempt: 1 }),
    );
    await waitFor(
      () => sink.events.some((e) => e.event === 'task_started'),
      `the new record (inode reused: ${reused})`,
      5_000,
    );
    assert.deepEqual(sink.runs, [`p.pipeline.yaml ${id}`]);
  } finally {
    f.dispose();
  }
});

test('a runner that finishes and exits while the views handle a read is not reported lost', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-follow-race-'));
  const runs = path.join(dir, '.tributary', 'runs');
  fs.mkdirSync(runs, { recursive: true });
  const id = '20260101T000000Z-abcd';
  const rec = path.join(runs, `${id}.jsonl`);
  const ev = (o: object) => JSON.stringify({ ts: new Date().toISOString(), run: id, ...o }) + '\n';
  fs.writeFileSync(
    rec,
    ev({ event: 'run_started', file: 'p.pipeline.yaml', params: {} }) +
      ev({ event: 'task_started', task: 'a', attempt: 1 }),
  );
  // A stand-in runner: a real process named in the lock with its start time, as a runner's lock
  // is; orphaned, so that once killed it is reaped at once (not a zombie of ours that still looks alive).
  const pid = Number(
    spawnSync('sh', ['-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' }).stdout,
  );
  const kill = () => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  const lock = path.join(dir, '.tributary', 'lock');
  fs.writeFileSync(
    lock,
    JSON.stringify({
      pid,
      run: id,
      file: 'p.pipeline.yaml',
      started: new Date().toISOString(),
      host: os.hostname(),
      pidStart: startTime(pid),
    }),
  );
  const sink = new Sink();
  sink.event = (_file, _id, e) => {
    sink.events.push(e);
    if (e.event === 'task_finished' && e.task === 'a')
      fs.appendFileSync(rec, ev({ event: 'task_started', task: 'b', attempt: 1 }));
    if (e.event === 'task_started' && e.task === 'b') {
      // The runner ends normally (run_finished, lock released, exit) while this event is handled.
      fs.appendFileSync(
        rec,
        ev({ event: 'task_finished', task: 'b', attempt: 1, status: 'success', exit_code: 0 }) +
          ev({ event: 'run_finished', status: 'success', duration_ms: 5 }),
      );
      fs.rmSync(lock);
      kill();
      while (fs.existsSync(`/proc/${pid}`)); // gone before the views are done with this event
    }
  };
  const f = new FolderFollower(dir, sink, { pollMs: 1e9, watch: false });
  try {
    f.start(); // the first look: the run holds the lock and its runner lives
    fs.appendFileSync(
      rec,
      ev({ event: 'task_finished', task: 'a', attempt: 1, status: 'success', exit_code: 0 }),
    );
    f.tick(); // reads a's end; the liveness check's read hands on b's start, and the runner ends
    f.tick();
    assert.deepEqual(sink.why, [], 'not lost');
    assert.equal(sink.events.at(-1)?.event, 'run_finished');
  } finally {
    kill();
    f.dispose();
  }
});
