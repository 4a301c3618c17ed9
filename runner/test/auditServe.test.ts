/** Acceptance audit of `tributary serve` as a data team runs it unattended on a shared folder. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliAsync, tempDir, writeTree } from './cliHelpers';
import { runLogs, waitFor } from './runHelpers';
import { lines, serve, type Served } from './serveHelpers';
import { mailText, startSmtp } from './smtpServer';

const outcomes = (dir: string): string[] =>
  runLogs(dir).map((r) => {
    // notify_error may follow run_finished.
    const end = r.find((e) => e.event === 'run_finished');
    return end?.event === 'run_finished' ? end.status : 'unfinished';
  });

/** a.csv's run started (its task holds until `hold` is removed) and b.csv queued behind it. */
async function aRunningBQueued(dir: string, s: Served): Promise<void> {
  await waitFor(() => /watching incoming/.test(s.log()), 20_000, 'the watcher');
  fs.writeFileSync(path.join(dir, 'incoming', 'a.csv'), 'a\n');
  await waitFor(() => /run \S+ started/.test(s.log()), 20_000, 'the first run');
  fs.writeFileSync(path.join(dir, 'incoming', 'b.csv'), 'b\n');
  await waitFor(() => /b\.csv fired; queued/.test(s.log()), 20_000, 'b queued');
}

test('a trigger file whose writer pauses mid-copy starts one run, on the whole file', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: ingest
on:
  - files: "incoming/*.csv"
tasks:
  extract:
    run: tail -n 1 "\${trigger.file}" >> seen.txt
`,
  });
  fs.mkdirSync(path.join(dir, 'incoming'));
  const s = serve(dir);
  let writer: ChildProcess | undefined;
  try {
    await waitFor(() => /watching incoming/.test(s.log()), 20_000, 'the watcher');
    // A slow copy that stalls far longer than the stable time (150 ms here), file still open.
    writer = spawn(
      'python3',
      [
        '-c',
        `import sys, time
f = open(sys.argv[1], 'w')
f.write('day,rows\\n' * 1000); f.flush()
print('half', flush=True)
while not __import__('os').path.exists(sys.argv[2]): time.sleep(0.05)
f.write('END\\n'); f.close()`,
        path.join(dir, 'incoming', 'day1.csv'),
        path.join(dir, 'go-on'),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => writer!.stdout!.once('data', () => resolve()));
    await waitFor(() => /still being written/.test(s.log()), 20_000, 'serve to notice the writer');
    // Far past the stable time: nothing may have run on the half file.
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(lines(dir, 'seen.txt'), [], s.log());
    fs.writeFileSync(path.join(dir, 'go-on'), '');
    await once(writer, 'exit');
    await waitFor(() => /run \S+ success/.test(s.log()), 20_000, 'the run on the whole file');
    await new Promise((r) => setTimeout(r, 1000)); // a second run would start by now
  } finally {
    writer?.kill();
    assert.equal(await s.stop(), 0);
  }
  assert.deepEqual(lines(dir, 'seen.txt'), ['END'], s.log());
  assert.deepEqual(outcomes(dir), ['success']);
});

test('two serves of one folder run each trigger once; the second takes over when the first stops', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: shared
on:
  - files: "incoming/*.csv"
tasks:
  extract:
    run: echo "\${trigger.file}" >> seen.txt; sleep 1
`,
  });
  fs.mkdirSync(path.join(dir, 'incoming'));
  const first = serve(dir);
  await waitFor(() => /serving 1 pipeline/.test(first.log()), 20_000, 'the first serve');
  const second = serve(dir);
  try {
    await waitFor(() => /standing by/.test(second.log()), 20_000, 'the second serve');
    assert.match(second.log(), /served by tributary serve pid \d+ on host /);
    fs.writeFileSync(path.join(dir, 'incoming', 'a.csv'), 'a\n');
    await waitFor(() => /run \S+ success/.test(first.log()), 20_000, 'the run');
    // The lock's retry (5 s) would have run it a second time by now.
    await new Promise((r) => setTimeout(r, 7000));
    assert.deepEqual(lines(dir, 'seen.txt'), ['incoming/a.csv'], second.log());
    assert.equal(await first.stop(), 0);
    // Before the takeover (the standby looks every 5 s): not lost, and a.csv is not run again.
    fs.writeFileSync(path.join(dir, 'incoming', 'b.csv'), 'b\n');
    await waitFor(
      () => /serving it here[\s\S]*watching incoming/.test(second.log()),
      30_000,
      'the takeover',
    );
    await waitFor(() => /run \S+ success/.test(second.log()), 20_000, 'b, run by the second');
    fs.writeFileSync(path.join(dir, 'incoming', 'c.csv'), 'c\n');
    await waitFor(() => lines(dir, 'seen.txt').length === 3, 20_000, 'c');
    // c's run records its end after its task wrote: stopping before that would cancel it.
    await waitFor(
      () => outcomes(dir).filter((o) => o === 'success').length === 3,
      20_000,
      'c ended',
    );
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    await first.stop();
    assert.equal(await second.stop(), 0);
  }
  assert.deepEqual(lines(dir, 'seen.txt'), ['incoming/a.csv', 'incoming/b.csv', 'incoming/c.csv']);
  assert.deepEqual(outcomes(dir), ['success', 'success', 'success']);
  assert.ok(!fs.readdirSync(path.join(dir, '.tributary')).some((f) => f.endsWith('.lock')));
});

test('deleting the pipeline file during a run stops its triggers but lets the run finish', async () => {
  const dir = writeTree(tempDir(), {
    hold: '',
    'p.pipeline.yaml': `pipeline: train
on:
  - files: "incoming/*.csv"
tasks:
  train:
    run: while [ -f hold ]; do sleep 0.1; done; echo "\${trigger.file}" >> trained.txt
`,
  });
  fs.mkdirSync(path.join(dir, 'incoming'));
  const s = serve(dir);
  try {
    await aRunningBQueued(dir, s);
    fs.rmSync(path.join(dir, 'p.pipeline.yaml')); // a branch switch, say
    await waitFor(() => /deleted; no longer served/.test(s.log()), 20_000, 'the deletion');
    assert.match(s.log(), /running run goes on to its end/);
    // Said just after the deletion, on a line of its own.
    await waitFor(() => /not starting file incoming\/b\.csv/.test(s.log()), 20_000, 'b dropped');
    fs.writeFileSync(path.join(dir, 'incoming', 'c.csv'), 'c\n'); // nothing serves it now
    fs.rmSync(path.join(dir, 'hold'));
    await waitFor(() => /run \S+ success/.test(s.log()), 20_000, 'the run to finish');
    await new Promise((r) => setTimeout(r, 1000)); // b or c would start by now
    assert.equal(s.child.exitCode, null, 'serve keeps running');
  } finally {
    assert.equal(await s.stop(), 0);
  }
  assert.deepEqual(lines(dir, 'trained.txt'), ['incoming/a.csv']);
  assert.deepEqual(outcomes(dir), ['success']);
  assert.ok(!fs.readdirSync(path.join(dir, '.tributary')).some((f) => f.endsWith('.lock')));
});

test('the next fire is logged in the machine zone (TZ), named, as cron reads it', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: nightly
schedule: ["0 0 * * *", "30 15 2 * * *"]
tasks:
  train:
    run: "true"
`,
  });
  const s = serve(dir, ['.'], { TZ: 'Asia/Kolkata' });
  try {
    await waitFor(() => /serving 1 pipeline/.test(s.log()), 20_000, 'start-up');
  } finally {
    assert.equal(await s.stop(), 0);
  }
  const midnight = /'0 0 \* \* \*': next run (\S+T00:00:00\+05:30) \(Asia\/Kolkata\)/.exec(s.log());
  assert.ok(midnight, s.log());
  const inMs = Date.parse(midnight[1]!) - Date.now();
  assert.ok(inMs > 0 && inMs <= 86_400_000, `${midnight[1]} is the next midnight in Kolkata`);
  assert.match(s.log(), /'30 15 2 \* \* \*': next run \S+T02:15:30\+05:30 \(Asia\/Kolkata\)/);
});

test('a run by hand while serve runs the pipeline is refused, naming serve; after it, it runs', async () => {
  const dir = writeTree(tempDir(), {
    hold: '',
    'p.pipeline.yaml': `pipeline: nightly
on:
  - files: "incoming/*.csv"
tasks:
  train:
    run: while [ -f hold ]; do sleep 0.1; done; echo trained >> trained.txt
`,
  });
  fs.mkdirSync(path.join(dir, 'incoming'));
  const s = serve(dir);
  try {
    await waitFor(() => /watching incoming/.test(s.log()), 20_000, 'the watcher');
    fs.writeFileSync(path.join(dir, 'incoming', 'a.csv'), 'a\n');
    await waitFor(() => /run \S+ started/.test(s.log()), 20_000, 'the run');
    const refused = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir });
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /^tributary: \S+p\.pipeline\.yaml is already running \(run \S+, pid \d+ on host \S+, since \S+\), started by tributary serve for a schedule or trigger; wait for it \(stopping it means stopping that serve\)\n$/,
    );
    fs.rmSync(path.join(dir, 'hold'));
    await waitFor(() => /run \S+ success/.test(s.log()), 20_000, 'the served run');
    const byHand = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir });
    assert.equal(byHand.code, 0, byHand.stderr);
  } finally {
    assert.equal(await s.stop(), 0);
  }
  assert.deepEqual(lines(dir, 'trained.txt'), ['trained', 'trained']);
});

test('a mail server that never answers holds no queued run back; the failure is logged and recorded', async () => {
  // A "mail server" that accepts connections and never greets (a hung relay).
  const sockets: net.Socket[] = [];
  const tarpit = net.createServer((c) => sockets.push(c));
  await new Promise<void>((resolve) => tarpit.listen(0, '127.0.0.1', resolve));
  const port = (tarpit.address() as net.AddressInfo).port;
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: mailed
on:
  - files: "incoming/*.csv"
notify:
  email:
    to: [team@example.com]
    on: [success]
tasks:
  extract:
    run: echo "\${trigger.file}" >> seen.txt; sleep 1
`,
  });
  fs.mkdirSync(path.join(dir, 'incoming'));
  const s = serve(dir, ['.'], { TRIBUTARY_SMTP_URL: `smtp://127.0.0.1:${port}` });
  try {
    await waitFor(() => /watching incoming/.test(s.log()), 20_000, 'the watcher');
    fs.writeFileSync(path.join(dir, 'incoming', 'a.csv'), 'a\n');
    await waitFor(() => /run \S+ started/.test(s.log()), 20_000, 'the first run');
    fs.writeFileSync(path.join(dir, 'incoming', 'b.csv'), 'b\n');
    await waitFor(() => lines(dir, 'seen.txt').length === 2, 60_000, 'the queued run');
    // The first run's mail is still waiting for a greeting (10 s) when the second one starts.
    assert.doesNotMatch(s.log(), /notification failed/);
    await waitFor(
      () => (s.log().match(/notification failed: .*Greeting never received/g) ?? []).length === 2,
      90_000,
      'both mails to give up',
    );
  } finally {
    assert.equal(await s.stop(), 0);
    for (const c of sockets) c.destroy();
    tarpit.close();
  }
  assert.deepEqual(outcomes(dir), ['success', 'success']);
  for (const r of runLogs(dir)) assert.ok(r.some((e) => e.event === 'notify_error'));
});

test('a mail server refusing the login: the run is recorded, one warning line, no password anywhere', async () => {
  const secret = 'hunter2-Secret!';
  const smtp = await startSmtp({ requireAuth: { user: 'bot', password: 'the-right-one' } });
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: mailed
on:
  - files: "incoming/*.csv"
notify:
  email:
    to: [team@example.com]
    on: [failure]
tasks:
  validate:
    run: echo "row 7 has no date" >&2; exit 3
`,
  });
  fs.mkdirSync(path.join(dir, 'incoming'));
  const s = serve(dir, ['.'], {
    TRIBUTARY_SMTP_URL: `smtp://bot:${encodeURIComponent(secret)}@127.0.0.1:${smtp.port}`,
  });
  try {
    await waitFor(() => /watching incoming/.test(s.log()), 20_000, 'the watcher');
    fs.writeFileSync(path.join(dir, 'incoming', 'a.csv'), 'a\n');
    await waitFor(() => /notification failed/.test(s.log()), 30_000, 'the refused mail');
  } finally {
    assert.equal(await s.stop(), 0);
    await smtp.close();
  }
  assert.equal(smtp.mails.length, 0);
  assert.match(s.log(), /run \S+ failed in .*failed: validate \(exit code 3\)/);
  assert.match(s.log(), /notification failed: e-mail to team@example\.com failed: .*535/);
  // The run's outcome first, then what became of its mail.
  assert.ok(s.log().search(/run \S+ failed in/) < s.log().search(/notification failed/), s.log());
  const records = runLogs(dir);
  assert.deepEqual(outcomes(dir), ['failed']);
  assert.ok(records[0]!.some((e) => e.event === 'notify_error'));
  const everything = s.log() + JSON.stringify(records);
  assert.ok(!everything.includes(secret) && !everything.includes(encodeURIComponent(secret)));
});

test('two pipelines of one folder: the second waits for the first one’s run, saying so once', async () => {
  const dir = writeTree(tempDir(), {
    hold: '',
    'train.pipeline.yaml': `pipeline: train
on:
  - files: "incoming/*.csv"
tasks:
  train:
    run: while [ -f hold ]; do sleep 0.1; done; echo trained >> done.txt
`,
    'report.pipeline.yaml': `pipeline: report
on:
  - files: "reports/*.txt"
tasks:
  report:
    run: echo reported >> done.txt
`,
  });
  fs.mkdirSync(path.join(dir, 'incoming'));
  fs.mkdirSync(path.join(dir, 'reports'));
  const s = serve(dir);
  try {
    await waitFor(() => /serving 2 pipeline/.test(s.log()), 20_000, 'start-up');
    fs.writeFileSync(path.join(dir, 'incoming', 'a.csv'), 'a\n');
    await waitFor(() => /train\.pipeline\.yaml: run \S+ started/.test(s.log()), 20_000, 'train');
    fs.writeFileSync(path.join(dir, 'reports', 'r.txt'), 'r\n');
    await waitFor(() => /report\.pipeline\.yaml: waiting/.test(s.log()), 20_000, 'the wait');
    assert.match(
      s.log(),
      /report\.pipeline\.yaml: waiting: the folder's lock is held by train\.pipeline\.yaml run \S+ \(pid \d+ on host \S+, since \S+, by tributary serve\); starts when it is released/,
    );
    // Past two retries (every 5 s): still one line.
    await new Promise((r) => setTimeout(r, 11_000));
    fs.rmSync(path.join(dir, 'hold'));
    await waitFor(() => lines(dir, 'done.txt').length === 2, 30_000, 'both runs');
  } finally {
    assert.equal(await s.stop(), 0);
  }
  assert.equal(s.log().match(/waiting:/g)?.length, 1, s.log());
  assert.deepEqual(lines(dir, 'done.txt'), ['trained', 'reported']);
});

test('existing: process after a restart runs only the files not handled yet (new, changed, or cut short)', async () => {
  const dir = writeTree(tempDir(), {
    'incoming/d1.csv': '1\n',
    'incoming/d2.csv': '2\n',
    'p.pipeline.yaml': `pipeline: backlog
on:
  - files: "incoming/*.csv"
    existing: process
tasks:
  ingest:
    run: echo "\${trigger.file}" >> seen.txt; if [ -f hold ]; then while [ -f hold ]; do sleep 0.1; done; fi
`,
  });
  const first = serve(dir);
  try {
    await waitFor(() => lines(dir, 'seen.txt').length === 2, 30_000, 'the backlog');
    await waitFor(
      () => outcomes(dir).length === 2 && !outcomes(dir).includes('unfinished'),
      20_000,
      'its runs',
    );
    // d3 starts a run that serve's stop cuts short: not handled.
    fs.writeFileSync(path.join(dir, 'hold'), '');
    fs.writeFileSync(path.join(dir, 'incoming', 'd3.csv'), '3\n');
    await waitFor(() => lines(dir, 'seen.txt').length === 3, 30_000, 'd3 to start');
  } finally {
    assert.equal(await first.stop(), 0);
  }
  fs.rmSync(path.join(dir, 'hold'));
  fs.appendFileSync(path.join(dir, 'incoming', 'd2.csv'), 'more\n'); // changed while serve was down
  fs.writeFileSync(path.join(dir, 'incoming', 'd4.csv'), '4\n'); // new while serve was down
  const second = serve(dir);
  try {
    await waitFor(() => lines(dir, 'seen.txt').length >= 6, 30_000, 'the files not handled');
    await new Promise((r) => setTimeout(r, 1500)); // d1 would have run again by now
  } finally {
    assert.equal(await second.stop(), 0);
  }
  assert.match(
    second.log(),
    /files present at start: process; 1 already handled by an earlier serve/,
  );
  const seen = lines(dir, 'seen.txt');
  assert.deepEqual(seen.slice(0, 3).sort(), [
    'incoming/d1.csv',
    'incoming/d2.csv',
    'incoming/d3.csv',
  ]);
  assert.deepEqual(seen.slice(3).sort(), ['incoming/d2.csv', 'incoming/d3.csv', 'incoming/d4.csv']);
});

test('notify.email with no mail server configured is a warning when serve loads the pipeline', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: nightly
schedule: "0 0 1 1 *"
notify:
  email:
    to: [team@example.com]
tasks:
  t:
    run: "true"
`,
  });
  const env = { TRIBUTARY_SMTP_URL: '', TRIBUTARY_SMTP_HOST: '' };
  const s = serve(dir, ['.'], env);
  try {
    await waitFor(() => /serving 1 pipeline/.test(s.log()), 20_000, 'start-up');
  } finally {
    assert.equal(await s.stop(), 0);
  }
  assert.match(
    s.log(),
    /p\.pipeline\.yaml: warning: notify\.email cannot be sent: no mail server: set TRIBUTARY_SMTP_URL/,
  );
});

test('a pipeline served from another host (shared folder) is left to it, with how to take it over', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: shared
on:
  - files: "incoming/*.csv"
tasks:
  t:
    run: echo ran >> ran.txt
`,
    '.tributary/serve-p.pipeline.yaml.lock': JSON.stringify({
      pid: 4242,
      run: 'serve',
      file: '/elsewhere/p.pipeline.yaml',
      started: '2026-11-30T00:00:00.000Z',
      host: 'other-box.example',
      command: 'serve',
    }),
  });
  fs.mkdirSync(path.join(dir, 'incoming'));
  const s = serve(dir);
  try {
    await waitFor(() => /serving 0 pipeline/.test(s.log()), 20_000, 'start-up');
    fs.writeFileSync(path.join(dir, 'incoming', 'a.csv'), 'a\n');
    await new Promise((r) => setTimeout(r, 1500));
  } finally {
    assert.equal(await s.stop(), 0);
  }
  assert.match(
    s.log(),
    /served by tributary serve pid 4242 on host other-box\.example since 2026-11-30T00:00:00\.000Z; standing by \(a serve on another host cannot be seen to stop: if it is gone for good, delete \S+serve-p\.pipeline\.yaml\.lock\)/,
  );
  assert.deepEqual(lines(dir, 'ran.txt'), []);
  assert.ok(fs.existsSync(path.join(dir, '.tributary', 'serve-p.pipeline.yaml.lock')));
});

test('a mail server down for a moment: serve tries the mail again and it arrives', async () => {
  const smtp = await startSmtp();
  // The relay's address: it drops the first connection (rebooting), then passes to the server.
  let refused = 0;
  const relay = net.createServer((c) => {
    if (refused++ === 0) return c.destroy();
    const up = net.connect(smtp.port, '127.0.0.1');
    c.pipe(up).pipe(c);
    c.on('error', () => up.destroy());
    up.on('error', () => c.destroy());
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const port = (relay.address() as net.AddressInfo).port;
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: nightly
on:
  - files: "incoming/*.csv"
notify:
  email:
    to: [team@example.com]
tasks:
  validate:
    run: echo "row 7 has no date" >&2; exit 3
`,
  });
  fs.mkdirSync(path.join(dir, 'incoming'));
  const s = serve(dir, ['.'], {
    TRIBUTARY_SMTP_URL: `smtp://127.0.0.1:${port}`,
    TRIBUTARY_SERVE_MAIL_RETRY_MS: '1000,1000',
  });
  try {
    await waitFor(() => /watching incoming/.test(s.log()), 20_000, 'the watcher');
    fs.writeFileSync(path.join(dir, 'incoming', 'a.csv'), 'a\n');
    await waitFor(() => smtp.mails.length === 1, 30_000, 'the mail, on the second try');
  } finally {
    assert.equal(await s.stop(), 0);
    relay.close();
    await smtp.close();
  }
  assert.match(
    s.log(),
    /notification failed: e-mail to team@example\.com failed: .*; trying again in 1(\.0+)?s/,
  );
  assert.match(mailText(smtp.mails[0]!.raw), /Task validate failed with exit code 3/);
  assert.deepEqual(outcomes(dir), ['failed']);
  assert.ok(!runLogs(dir)[0]!.some((e) => e.event === 'notify_error'), 'delivered in the end');
});

test('SIGTERM while serve is still starting stops it cleanly (exit 0, no lock left)', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: early
on:
  - files: "incoming/*.csv"
tasks:
  t:
    run: "true"
`,
  });
  fs.mkdirSync(path.join(dir, 'incoming'));
  const s = serve(dir);
  // Its first line ("loaded …") comes before its watchers are ready.
  await new Promise<void>((resolve) => s.child.stdout!.once('data', () => resolve()));
  s.child.kill('SIGTERM');
  const [code, signal] = (await once(s.child, 'exit')) as [number | null, string | null];
  assert.deepEqual([code, signal], [0, null], s.log());
  assert.match(s.log(), /stopped\n$/);
  assert.ok(!fs.readdirSync(path.join(dir, '.tributary')).some((f) => f.endsWith('.lock')));
});

test('the failure mail of a scheduled run says the schedule started it', async () => {
  const smtp = await startSmtp();
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: nightly
schedule: "*/2 * * * * *"
notify:
  email:
    to: [team@example.com]
  command:
    run: cat > hook.json
tasks:
  validate:
    run: exit 3
`,
  });
  const s = serve(dir, ['.'], { TRIBUTARY_SMTP_URL: smtp.url });
  try {
    await waitFor(() => smtp.mails.length >= 1, 30_000, 'the mail');
    await waitFor(() => fs.existsSync(path.join(dir, 'hook.json')), 30_000, 'the hook');
  } finally {
    assert.equal(await s.stop(), 0);
    await smtp.close();
  }
  assert.match(mailText(smtp.mails[0]!.raw), /^Started by schedule '\*\/2 \* \* \* \* \*'$/m);
  const hookInput = (): { started_by: string; trigger: string | null } | undefined => {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, 'hook.json'), 'utf8')) as {
        started_by: string;
        trigger: string | null;
      };
    } catch {
      return undefined; // still being written
    }
  };
  await waitFor(() => hookInput() !== undefined, 10_000, 'the whole hook input');
  const hook = hookInput()!;
  assert.deepEqual([hook.started_by, hook.trigger], ["schedule '*/2 * * * * *'", null]);
});

test('a trigger file removed while its run waits in the queue is not run', async () => {
  const dir = writeTree(tempDir(), {
    hold: '',
    'p.pipeline.yaml': `pipeline: ingest
on:
  - files: "incoming/*.csv"
tasks:
  extract:
    run: while [ -f hold ]; do sleep 0.1; done; cat "\${trigger.file}" >> seen.txt
`,
  });
  fs.mkdirSync(path.join(dir, 'incoming'));
  const s = serve(dir);
  try {
    await aRunningBQueued(dir, s);
    fs.renameSync(path.join(dir, 'incoming', 'b.csv'), path.join(dir, 'b.csv.archived'));
    fs.rmSync(path.join(dir, 'hold'));
    await waitFor(
      () => /file incoming\/b\.csv is gone; not run/.test(s.log()),
      20_000,
      'b skipped',
    );
  } finally {
    assert.equal(await s.stop(), 0);
  }
  assert.deepEqual(lines(dir, 'seen.txt'), ['a']);
  assert.deepEqual(outcomes(dir), ['success']);
});

test('a folder whose .tributary cannot be written is one line; the other pipelines are served', async () => {
  const pipeline = (name: string) =>
    `pipeline: ${name}\non:\n  - files: "in/*.csv"\ntasks:\n  t:\n    run: echo ran >> ran.txt\n`;
  const dir = writeTree(tempDir(), {
    'broken/p.pipeline.yaml': pipeline('broken'),
    'broken/.tributary': 'a file in the way\n',
    'fine/p.pipeline.yaml': pipeline('fine'),
  });
  fs.mkdirSync(path.join(dir, 'fine', 'in'));
  const s = serve(dir);
  try {
    await waitFor(() => /serving 1 pipeline/.test(s.log()), 20_000, 'start-up');
    fs.writeFileSync(path.join(dir, 'fine', 'in', 'a.csv'), 'a\n');
    await waitFor(() => lines(path.join(dir, 'fine'), 'ran.txt').length === 1, 20_000, 'a run');
  } finally {
    assert.equal(await s.stop(), 0);
  }
  assert.match(
    s.log(),
    /broken\/p\.pipeline\.yaml: cannot serve: cannot create \S+broken\/\.tributary: a file is in the way \(EEXIST\)\n/,
  );
});
