/** `serve` with partitioned pipelines as a real process: a six-field cron, `catchup: all`, `{partition}` file names. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { tempDir, writeTree } from './cliHelpers';
import { runLogs, waitFor } from './runHelpers';
import { lines, serve } from './serveHelpers';

/** The UTC day `n` days before today, as a daily key. */
const day = (n: number): string => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const DAY_TASK = `tasks:
  day:
    run: echo "start \${partition}" >> ran.log && sleep 0.3 && mkdir -p out && echo x > "out/\${partition}.txt" && echo "end \${partition}" >> ran.log
    outputs: ["out/\${partition}.txt"]
`;

test('a six-field cron fire runs the latest finished partition (yesterday), once', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: daily
schedule: "* * * * * *"
partitions:
  daily: { start: "${day(3)}", timezone: UTC }
${DAY_TASK}`,
  });
  const s = serve(dir);
  try {
    await waitFor(() => runLogs(dir).length >= 3, 20_000, 'three scheduled runs');
  } finally {
    assert.equal(await s.stop(), 0);
  }
  // Only yesterday ran (a fire at 00:00:01 today would still give yesterday), and only once.
  const ends = lines(dir, 'ran.log').filter((l) => l.startsWith('end'));
  assert.equal(ends[0], `end ${day(1)}`);
  assert.ok(
    ends.length === 1 || (ends.length === 2 && ends[1] === `end ${day(0)}`),
    ends.join(','),
  );
  const started = runLogs(dir).map((r) => r[0]);
  assert.deepEqual((started[0] as { partitions?: string[] }).partitions, [day(1)]);
  assert.match(
    s.log(),
    new RegExp(
      `run \\S+ started \\(schedule '\\* \\* \\* \\* \\* \\*'\\): 1 task\\(s\\), partition ${day(1)}`,
    ),
  );
});

test('catchup: all runs every missing partition since start, oldest first, at most --workers at once', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: daily
catchup: all
schedule: "0 0 1 1 *"
partitions:
  daily: { start: "${day(6)}", timezone: UTC }
${DAY_TASK}`,
    [`out/${day(4)}.txt`]: 'already there\n',
  });
  const s = serve(dir, ['.', '--workers', '2']);
  try {
    await waitFor(() => /run \S+ success/.test(s.log()), 20_000, 'the catch-up run');
  } finally {
    assert.equal(await s.stop(), 0);
  }
  const log = lines(dir, 'ran.log');
  const missing = [6, 5, 3, 2, 1].map(day);
  assert.deepEqual(
    log
      .filter((l) => l.startsWith('end'))
      .map((l) => l.slice(4))
      .sort(),
    missing,
  );
  // Oldest first: the runner starts them in key order (its record); never more than two at once.
  const [run] = runLogs(dir);
  assert.deepEqual(
    run!
      .filter((e) => e.event === 'task_started')
      .map((e) => (e as { partition?: string }).partition),
    missing,
  );
  let running = 0;
  let most = 0;
  for (const l of log) {
    running += l.startsWith('start') ? 1 : -1;
    most = Math.max(most, running);
  }
  assert.equal(most, 2);
  assert.match(s.log(), /catch-up of every missing partition/);
});

test('on: files with {partition}: the file name names the partition; a name that does not is one log line', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: drops
partitions:
  daily: { start: "2024-01-01", timezone: UTC }
on:
  - files: "incoming/{partition}.csv"
tasks:
  ingest:
    run: mkdir -p raw && cp "incoming/\${partition}.csv" "raw/\${partition}.csv" && echo "\${partition} \${trigger.file}" >> ran.log
    inputs: ["incoming/\${partition}.csv"]
    outputs: ["raw/\${partition}.csv"]
`,
    'incoming/.keep': '',
  });
  const s = serve(dir);
  try {
    await waitFor(
      () => /watching incoming\/\{partition\}\.csv/.test(s.log()),
      10_000,
      'the watcher',
    );
    fs.writeFileSync(path.join(dir, 'incoming', 'notes.csv'), 'not a day\n');
    fs.writeFileSync(path.join(dir, 'incoming', '2024-02-30.csv'), 'no such day\n');
    await waitFor(() => /2024-02-30\.csv'.*not run/.test(s.log()), 10_000, 'the bad day logged');
    fs.writeFileSync(path.join(dir, 'incoming', '2024-01-03.csv'), 'a,b\n');
    await waitFor(() => /run \S+ success/.test(s.log()), 10_000, 'the run of 2024-01-03');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(s.child.exitCode, null, 'serve still running');
  } finally {
    assert.equal(await s.stop(), 0);
  }
  assert.deepEqual(lines(dir, 'ran.log'), ['2024-01-03 incoming/2024-01-03.csv']);
  assert.ok(fs.existsSync(path.join(dir, 'raw', '2024-01-03.csv')));
  const logLines = s.log().split('\n');
  assert.equal(logLines.filter((l) => l.includes('notes.csv')).length, 1, s.log());
  assert.match(
    s.log(),
    /'incoming\/notes\.csv' does not name a partition as incoming\/\{partition\}\.csv does; not run/,
  );
  assert.match(s.log(), /file incoming\/2024-01-03\.csv \(partition 2024-01-03\)/);
  assert.equal(runLogs(dir).length, 1);
});

test('catchup: latest runs the partition of the fire missed while serve was down', async () => {
  const twoDaysAgo = Date.now() - 2 * 86_400_000;
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: daily
schedule: "0 0 * * *"
catchup: latest
partitions:
  daily: { start: "${day(10)}", timezone: UTC }
${DAY_TASK}`,
    '.tributary/serve.json': JSON.stringify({ 'p.pipeline.yaml': { seen: twoDaysAgo } }),
  });
  const s = serve(dir);
  try {
    await waitFor(() => /run \S+ success/.test(s.log()), 15_000, 'the catch-up run');
  } finally {
    assert.equal(await s.stop(), 0);
  }
  // The first midnight after the last handled moment; it finished the day before it.
  const missed = new Date(twoDaysAgo).toISOString().slice(0, 10);
  assert.deepEqual(
    lines(dir, 'ran.log').filter((l) => l.startsWith('end')),
    [`end ${missed}`],
  );
  assert.match(s.log(), new RegExp(`catch-up of schedule .*: 1 task\\(s\\), partition ${missed}`));
});
