/** `tributary serve` as a real long-running process: cron, file triggers, coalescing, reload, SIGTERM. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';
import { processesWith, runLogs, waitFor } from './runHelpers';
import { lines, serve } from './serveHelpers';

test('a six-field cron of every second starts runs, one at a time, and SIGTERM exits 0', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml':
      'pipeline: tick\nschedule: "* * * * * *"\ntasks:\n  tick:\n    run: echo tick >> ticks.txt\n',
  });
  const s = serve(dir);
  try {
    await waitFor(() => lines(dir, 'ticks.txt').length >= 2, 15_000, 'two scheduled runs');
    assert.match(s.log(), /schedule '\* \* \* \* \* \*': next run /);
    assert.match(s.log(), /run \S+ started \(schedule/);
  } finally {
    assert.equal(await s.stop(), 0);
  }
  const runs = runLogs(dir);
  assert.ok(runs.length >= 2);
  for (const r of runs) assert.equal(r.filter((e) => e.event === 'run_started').length, 1);
  // Each record says what started it; `history` tells them from a run by hand.
  for (const r of runs) {
    const started = r.find((e) => e.event === 'run_started');
    assert.equal(
      started && 'started_by' in started ? started.started_by : undefined,
      "schedule '* * * * * *'",
    );
  }
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  const json = cli(['history', 'p.pipeline.yaml', '--json'], { cwd: dir });
  const [byHand, scheduled] = (JSON.parse(json.stdout) as { runs: { started_by: string | null }[] })
    .runs;
  assert.equal(byHand?.started_by, null);
  assert.equal(scheduled?.started_by, "schedule '* * * * * *'");
  const text = cli(['history', 'p.pipeline.yaml'], { cwd: dir }).stdout.split('\n');
  assert.doesNotMatch(text[0] ?? '', /·/);
  assert.match(
    text.find((l, i) => i > 0 && /^\d{8}T/.test(l)) ?? '',
    / {2}· schedule '\* \* \* \* \* \*'$/,
  );
});

test('a dropped file starts exactly one run with ${trigger.file}; files present at start are ignored', async () => {
  const dir = writeTree(tempDir(), {
    'incoming/old.csv': 'old\n',
    'p.pipeline.yaml': `pipeline: drop
on:
  - files: "incoming/*.csv"
tasks:
  ingest:
    run: echo "\${trigger.file}" >> seen.txt
    inputs: [incoming/]
    outputs: [seen.txt]
`,
  });
  const s = serve(dir);
  try {
    await waitFor(() => /watching incoming\/\*\.csv/.test(s.log()), 10_000, 'the watcher');
    fs.writeFileSync(path.join(dir, 'incoming', 'new.csv'), 'a,b\n');
    fs.writeFileSync(path.join(dir, 'incoming', 'notes.txt'), 'not a csv\n');
    await waitFor(() => /run \S+ success/.test(s.log()), 10_000, 'the triggered run');
    await new Promise((r) => setTimeout(r, 800));
  } finally {
    assert.equal(await s.stop(), 0);
  }
  assert.deepEqual(lines(dir, 'seen.txt'), ['incoming/new.csv']);
  assert.equal(runLogs(dir).length, 1);
});

test('with existing: process, files present at start each start a run', async () => {
  const dir = writeTree(tempDir(), {
    'in/a.csv': '1\n',
    'in/b.csv': '2\n',
    'p.pipeline.yaml':
      'pipeline: backlog\non:\n  - files: "in/*.csv"\n    existing: process\ntasks:\n  t:\n    run: echo "${trigger.file}" >> seen.txt\n',
  });
  const s = serve(dir);
  try {
    await waitFor(() => lines(dir, 'seen.txt').length >= 2, 10_000, 'two runs');
  } finally {
    await s.stop();
  }
  assert.deepEqual(lines(dir, 'seen.txt').sort(), ['in/a.csv', 'in/b.csv']);
});

test('a burst of 20 files during a run loses none and runs none twice', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: burst
on:
  - files: "drop/*.csv"
tasks:
  ingest:
    run: echo "\${trigger.file}" >> seen.txt; sleep 0.2
`,
  });
  fs.mkdirSync(path.join(dir, 'drop'));
  const s = serve(dir);
  try {
    await waitFor(() => /watching drop/.test(s.log()), 10_000, 'the watcher');
    fs.writeFileSync(path.join(dir, 'drop', 'first.csv'), 'x\n');
    await waitFor(() => /run \S+ started/.test(s.log()), 10_000, 'the first run');
    for (let i = 0; i < 20; i++) fs.writeFileSync(path.join(dir, 'drop', `f${i}.csv`), `${i}\n`);
    await waitFor(() => lines(dir, 'seen.txt').length >= 21, 30_000, '21 runs');
    await new Promise((r) => setTimeout(r, 1000));
  } finally {
    await s.stop();
  }
  const seen = lines(dir, 'seen.txt');
  assert.equal(seen.length, 21, seen.join(','));
  assert.equal(new Set(seen).size, 21);
  assert.match(s.log(), /queued behind the running run/);
});

test('SIGTERM during a run cancels its tasks: the run is recorded cancelled and no process is left', async () => {
  const marker = `servemark${process.pid}x${Date.now()}`;
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: long\non:\n  - files: "go/*"\ntasks:\n  long:\n    run: node -e "setInterval(() => {}, 1000)" ${marker}\n`,
  });
  fs.mkdirSync(path.join(dir, 'go'));
  const s = serve(dir);
  await waitFor(() => /watching go/.test(s.log()), 10_000, 'the watcher');
  fs.writeFileSync(path.join(dir, 'go', 'now'), '1');
  await waitFor(() => processesWith(marker).length > 0, 10_000, 'the task process');
  assert.equal(await s.stop(), 0);
  assert.deepEqual(processesWith(marker), []);
  const end = runLogs(dir).at(-1)?.at(-1);
  assert.ok(end?.event === 'run_finished' && end.status === 'cancelled');
});

test('an invalid pipeline is reported and skipped; fixing the file loads it', async () => {
  const dir = writeTree(tempDir(), {
    'bad.pipeline.yaml': 'pipeline: bad\ntasks:\n  a:\n    needs: [nobody]\n    run: "true"\n',
    'good.pipeline.yaml': 'pipeline: good\ntasks:\n  a:\n    run: "true"\n',
  });
  const s = serve(dir);
  try {
    await waitFor(() => /serving 1 pipeline/.test(s.log()), 10_000, 'start-up');
    assert.match(s.log(), /bad\.pipeline\.yaml: invalid, skipped until fixed: .*unknown-task/);
    fs.writeFileSync(
      path.join(dir, 'bad.pipeline.yaml'),
      'pipeline: bad\nschedule: "0 0 1 1 *"\ntasks:\n  a:\n    run: "true"\n',
    );
    await waitFor(() => /bad\.pipeline\.yaml: loaded bad/.test(s.log()), 10_000, 'the reload');
  } finally {
    await s.stop();
  }
});

test('catchup: latest runs once at start for a schedule missed while serve was down; none does not', async () => {
  const twoDaysAgo = Date.now() - 2 * 86_400_000;
  const file = (policy: string) =>
    `pipeline: nightly\nschedule: "0 0 * * *"\ncatchup: ${policy}\ntasks:\n  t:\n    run: echo ran >> ran.txt\n`;
  for (const policy of ['latest', 'none']) {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': file(policy),
      '.tributary/serve.json': JSON.stringify({ 'p.pipeline.yaml': { seen: twoDaysAgo } }),
    });
    const s = serve(dir);
    try {
      await waitFor(() => /serving 1 pipeline/.test(s.log()), 10_000, 'start-up');
      if (policy === 'latest')
        await waitFor(() => /run \S+ success/.test(s.log()), 10_000, 'the catch-up run');
      else await new Promise((r) => setTimeout(r, 800));
    } finally {
      await s.stop();
    }
    assert.equal(lines(dir, 'ran.txt').length, policy === 'latest' ? 1 : 0, s.log());
    if (policy === 'latest') assert.match(s.log(), /catch-up of schedule '0 0 \* \* \*' missed at/);
  }
});

test('serve with no such path exits 2 with one line', async () => {
  const s = serve(tempDir(), ['no/such/folder']);
  const [code] = (await once(s.child, 'exit')) as [number];
  assert.equal(code, 2);
  assert.match(s.log(), /^tributary: no such file or folder: no\/such\/folder\n$/);
});

test('an invalid save during a run: the run goes on, queued files survive, files dropped meanwhile run after the fix', async () => {
  const valid = (note: string) => `pipeline: drops # ${note}
on:
  - files: "in/*.csv"
tasks:
  ingest:
    run: while [ -f hold ]; do sleep 0.1; done; echo "\${trigger.file}" >> seen.txt
`;
  const dir = writeTree(tempDir(), { hold: '', 'p.pipeline.yaml': valid('v1') });
  fs.mkdirSync(path.join(dir, 'in'));
  const s = serve(dir);
  try {
    await waitFor(() => /watching in/.test(s.log()), 10_000, 'the watcher');
    fs.writeFileSync(path.join(dir, 'in', 'a.csv'), 'a\n');
    await waitFor(() => /run \S+ started/.test(s.log()), 10_000, 'the first run');
    fs.writeFileSync(path.join(dir, 'in', 'b.csv'), 'b\n');
    await waitFor(() => /file in\/b\.csv fired; queued/.test(s.log()), 10_000, 'b queued');
    fs.writeFileSync(
      path.join(dir, 'p.pipeline.yaml'),
      valid('v2').replace('run:', 'needs: [nobody]\n    run:'),
    );
    await waitFor(
      () => /invalid, skipped until fixed.*go on/.test(s.log()),
      10_000,
      'the invalid save',
    );
    fs.writeFileSync(path.join(dir, 'in', 'c.csv'), 'c\n'); // nothing watches now
    await new Promise((r) => setTimeout(r, 400));
    fs.writeFileSync(path.join(dir, 'p.pipeline.yaml'), valid('v3'));
    await waitFor(() => /1 file\(s\) arrived while reloading/.test(s.log()), 10_000, 'the rescan');
    fs.rmSync(path.join(dir, 'hold'));
    await waitFor(() => lines(dir, 'seen.txt').length >= 3, 15_000, 'three runs');
    await new Promise((r) => setTimeout(r, 800));
  } finally {
    await s.stop();
  }
  assert.deepEqual(lines(dir, 'seen.txt'), ['in/a.csv', 'in/b.csv', 'in/c.csv'], s.log());
  const outcomes = runLogs(dir)
    .map((r) => r.at(-1))
    .map((e) => e?.event === 'run_finished' && e.status);
  assert.deepEqual(outcomes, ['success', 'success', 'success']);
});

test('a schedule counts as handled only when its run finished: serve killed mid-run catches it up', async () => {
  // Once a minute, a few seconds from now: a restart within the minute has missed nothing new.
  const cron = `${new Date(Date.now() + 4000).getSeconds()} * * * * *`;
  const marker = `servecatch${process.pid}x${Date.now()}`;
  const dir = writeTree(tempDir(), {
    hold: '',
    'p.pipeline.yaml': `pipeline: minutely\nschedule: "${cron}"\ncatchup: latest\ntasks:\n  t:\n    run: echo start >> ran.txt; while [ -f hold ]; do sleep 0.1; done; echo end >> ran.txt; true ${marker}\n`,
  });
  const first = serve(dir);
  try {
    await waitFor(() => lines(dir, 'ran.txt').length === 1, 70_000, 'the scheduled run');
  } finally {
    first.child.kill('SIGKILL');
  }
  await once(first.child, 'exit');
  // Its watchdog ends the task (see orphans.test.ts) before it could write "end".
  await waitFor(() => processesWith(marker).length === 0, 10_000, 'the task to be stopped');
  fs.rmSync(path.join(dir, 'hold'));
  const second = serve(dir);
  try {
    await waitFor(() => /run \S+ success/.test(second.log()), 15_000, 'the catch-up run');
  } finally {
    await second.stop();
  }
  assert.match(second.log(), /catch-up of schedule '.*' missed at/);
  assert.deepEqual(lines(dir, 'ran.txt'), ['start', 'start', 'end']);
});
