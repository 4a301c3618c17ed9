/** Partitioned runs with the built CLI and real processes: run --partition, backfill, records, bad input, restarts. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { partitionStatus } from '../api';
import { cli, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { lastRun, waitFor } from './runHelpers';

const DAILY = `pipeline: daily
partitions:
  daily:
    start: "2024-01-01"
    end: "2024-01-05"
    timezone: UTC
tasks:
  extract:
    run: mkdir -p raw && echo "$TRIBUTARY_TASK $TRIBUTARY_PARTITION \${partition.start} \${partition.end}" > "raw/\${partition}.csv" && echo "extract \${partition}" >> ran.log
    outputs: ["raw/\${partition}.csv"]
  validate:
    run: test ! -e "fail-\${partition}" && mkdir -p valid && cp "raw/\${partition}.csv" "valid/\${partition}.csv" && echo "validate \${partition}" >> ran.log
    inputs: ["raw/\${partition}.csv"]
    outputs: ["valid/\${partition}.csv"]
  train:
    run: cat valid/*.csv > model.txt && echo train >> ran.log
    needs: [validate]
    outputs: [model.txt]
`;

function events(dir: string): Record<string, unknown>[][] {
  const runs = path.join(dir, '.tributary', 'runs');
  return fs
    .readdirSync(runs)
    .sort()
    .map((f) =>
      fs
        .readFileSync(path.join(runs, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    );
}

const ranLog = (dir: string): string[] =>
  fs.existsSync(path.join(dir, 'ran.log'))
    ? fs.readFileSync(path.join(dir, 'ran.log'), 'utf8').trim().split('\n')
    : [];

test('run with no --partition runs the latest finished partition; values filled; every task event names its partition', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': DAILY });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(
    fs.readFileSync(path.join(dir, 'raw', '2024-01-05.csv'), 'utf8'),
    'extract 2024-01-05 2024-01-05T00:00:00+00:00 2024-01-06T00:00:00+00:00\n',
  );
  assert.deepEqual(ranLog(dir), ['extract 2024-01-05', 'validate 2024-01-05', 'train']);
  const [run] = events(dir);
  assert.deepEqual(run![0]!.partitions, ['2024-01-05']);
  for (const e of run!) {
    if (typeof e.task !== 'string') continue;
    assert.equal(e.partition, e.task === 'train' ? undefined : '2024-01-05', JSON.stringify(e));
    assert.doesNotMatch(e.task, /@/);
  }
  // The same partition again: complete, nothing runs.
  assert.equal(cli(['run', 'p.pipeline.yaml', '--partition', '2024-01-05'], { cwd: dir }).code, 0);
  assert.equal(ranLog(dir).length, 3);
  // Two named partitions: only those, oldest first; train once after both.
  const two = cli(
    [
      'run',
      'p.pipeline.yaml',
      '--partition',
      '2024-01-03',
      '--partition',
      '2024-01-02',
      '--workers',
      '1',
    ],
    { cwd: dir },
  );
  assert.equal(two.code, 0, two.stderr);
  assert.deepEqual(ranLog(dir).slice(3), [
    'extract 2024-01-02',
    'validate 2024-01-02',
    'extract 2024-01-03',
    'validate 2024-01-03',
    'train',
  ]);
});

test('backfill runs only incomplete partitions, oldest first; a failure stays in its partition; a summary per partition', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': DAILY, 'fail-2024-01-03': '' });
  assert.equal(cli(['run', 'p.pipeline.yaml', '--partition', '2024-01-02'], { cwd: dir }).code, 0);
  fs.rmSync(path.join(dir, 'ran.log'));
  const r = cli(
    ['backfill', 'p.pipeline.yaml', '--from', '2024-01-01', '--to', '2024-01-04', '--workers', '1'],
    { cwd: dir },
  );
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.deepEqual(ranLog(dir), [
    'extract 2024-01-01',
    'validate 2024-01-01',
    'extract 2024-01-03',
    'extract 2024-01-04',
    'validate 2024-01-04',
  ]);
  assert.match(r.stdout, /2024-01-01\s+✓ succeeded\s+2\s+0/);
  assert.match(r.stdout, /2024-01-02\s+↷ complete\s+0\s+2/);
  assert.match(r.stdout, /2024-01-03\s+✗ failed\s+2\s+0\s+validate/);
  assert.match(r.stdout, /2024-01-04\s+✓ succeeded\s+2\s+0/);
  assert.match(r.stdout, /\(all partitions\)\s+✗ failed\s+0\s+0\s+train/);
  assert.match(r.stdout, /backfill \S+ failed: 4 partitions, 2 ran, 1 already complete, 1 failed/);
  // Fixed: only the failed partition and train are left.
  fs.rmSync(path.join(dir, 'ran.log'));
  fs.rmSync(path.join(dir, 'fail-2024-01-03'));
  const again = cli(['backfill', 'p.pipeline.yaml', '--from', '2024-01-01', '--to', '2024-01-04'], {
    cwd: dir,
  });
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.deepEqual(ranLog(dir), ['validate 2024-01-03', 'train']);
  assert.equal(fs.readFileSync(path.join(dir, 'model.txt'), 'utf8').split('\n').length - 1, 4);
});

test('bad input: one line, exit 2, nothing run, nothing recorded', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': DAILY,
    'z.pipeline.yaml': DAILY.replace('timezone: UTC', 'timezone: Mars/Olympus_Mons'),
    'v.pipeline.yaml': `pipeline: v
partitions: { values: [eu, us] }
tasks:
  a:
    run: echo "\${partition.start}" > out.txt
`,
  });
  const cases: [string[], RegExp][] = [
    [['run', 'p.pipeline.yaml', '--partition', '2023-12-31'], /before the start 2024-01-01/],
    [['run', 'p.pipeline.yaml', '--partition', '2024-01-06'], /after the end 2024-01-05/],
    [['run', 'p.pipeline.yaml', '--partition', '2024-02-30'], /2024-02 has 29 days/],
    [
      ['backfill', 'p.pipeline.yaml', '--from', '2024-1-1'],
      /--from: '2024-1-1' is not a daily partition key/,
    ],
    [
      ['backfill', 'p.pipeline.yaml', '--from', '2024-01-04', '--to', '2024-01-02'],
      /--to 2024-01-02 is before --from 2024-01-04/,
    ],
    [['plan', 'p.pipeline.yaml', '--partition', 'yesterday'], /not a daily partition key/],
    [['status', 'p.pipeline.yaml', '--from', '2024-01-09'], /after the end/],
    [['run', 'v.pipeline.yaml'], /invalid-partitions|partition\.start/],
    [['backfill', 'z.pipeline.yaml'], /Mars\/Olympus_Mons.*\[invalid-partitions\]/],
    [['plan', 'p.pipeline.yaml', '--partition', '2024-01-01', '--from', '2024-01-01'], /not both/],
    [['backfill', 'v.pipeline.yaml'], /invalid-partitions|partition\.start/],
  ];
  for (const [args, message] of cases) {
    const r = cli(args, { cwd: dir });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  assert.equal(fs.existsSync(path.join(dir, '.tributary', 'runs')), false);
  assert.equal(fs.existsSync(path.join(dir, 'raw')), false);
  assert.equal(fs.existsSync(path.join(dir, 'out.txt')), false);
});

const SLOW = `pipeline: slow
partitions:
  daily: { start: "2024-01-01", end: "2024-01-08", timezone: UTC }
tasks:
  day:
    run: sleep 0.4 && echo "\${partition}" > "out/\${partition}.txt" && echo "\${partition}" >> ran.log
    outputs: ["out/\${partition}.txt"]
`;

async function interruptAfter(dir: string, done: number, signal: NodeJS.Signals): Promise<void> {
  const child = cliSpawn(['backfill', 'p.pipeline.yaml', '--workers', '1'], { cwd: dir });
  const closed = new Promise((resolve) => child.on('close', resolve));
  // Wait for the run record to hold that many days' ends, not a guessed delay: a loaded
  // machine may take any time to write them (the next day is then mid-sleep).
  const ended = () =>
    lastRun(dir).filter((e) => e.event === 'task_finished' && e.status === 'success').length;
  await waitFor(() => ended() >= done, 60_000, `${done} days recorded as finished`);
  child.kill(signal);
  await closed;
}

for (const signal of ['SIGINT', 'SIGKILL'] as const)
  test(`a backfill interrupted by ${signal} and started again runs only what is left`, async () => {
    const dir = writeTree(tempDir(), { 'p.pipeline.yaml': SLOW, 'out/.keep': '' });
    await interruptAfter(dir, 3, signal);
    const before = ranLog(dir);
    assert.ok(before.length >= 3 && before.length < 8, before.join(','));
    // The days the first run recorded as done; a day in flight at a kill -9 may have finished
    // its command unrecorded, and then rightly runs again (its output may be half-written).
    const recorded = lastRun(dir)
      .filter((e) => e.event === 'task_finished' && e.status === 'success')
      .map((e) => (e as { partition?: string }).partition);
    const r = cli(['backfill', 'p.pipeline.yaml', '--workers', '1'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const after = ranLog(dir);
    const all = ['01', '02', '03', '04', '05', '06', '07', '08'].map((d) => `2024-01-${d}`);
    // Every day ran, oldest first; nothing recorded as finished ran twice.
    assert.deepEqual([...new Set(after)], all);
    for (const day of recorded)
      assert.equal(after.filter((d) => d === day).length, 1, `${day} ran again`);
    assert.ok(after.length <= all.length + (signal === 'SIGKILL' ? 1 : 0), after.join(','));
    assert.match(r.stdout, new RegExp(`${recorded.length} already complete`));
  });

test('status: a grid of tasks × partitions and --json per partition; plan per partition', async () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': DAILY, 'fail-2024-01-03': '' });
  cli(['backfill', 'p.pipeline.yaml', '--from', '2024-01-02', '--to', '2024-01-04'], { cwd: dir });
  const grid = cli(['status', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(grid.code, 0, grid.stderr);
  assert.match(grid.stdout, /partitions 2024-01-01 … 2024-01-05 \(all 5, oldest left\)/);
  assert.match(grid.stdout, /^extract\s+·✓✓✓·\s+3 of 5 partitions complete$/m);
  assert.match(grid.stdout, /^validate\s+·✓✗✓·\s+2 of 5 partitions complete \(1 failed\)$/m);
  assert.match(grid.stdout, /^train\s+· never run/m);
  // Over all 5 days: a task's own state sums its partitions (scripts read `state`).
  const whole = JSON.parse(cli(['status', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout) as {
    tasks: { task: string; state: string; counts?: Record<string, number> }[];
  };
  assert.deepEqual(
    whole.tasks.map((t) => [t.task, t.state, t.counts]),
    [
      ['extract', 'partial', { complete: 3, failed: 0, stale: 0, 'never run': 2 }],
      ['validate', 'failed', { complete: 2, failed: 1, stale: 0, 'never run': 2 }],
      ['train', 'never run', undefined],
    ],
  );
  const json = cli(
    ['status', 'p.pipeline.yaml', '--from', '2024-01-03', '--to', '2024-01-04', '--json'],
    {
      cwd: dir,
    },
  );
  const doc = JSON.parse(json.stdout) as {
    partitions: string[];
    tasks: {
      task: string;
      state: string;
      partitioned?: boolean;
      partitions?: Record<string, string>;
    }[];
  };
  assert.deepEqual(doc.partitions, ['2024-01-03', '2024-01-04']);
  assert.deepEqual(
    doc.tasks.map((t) => [t.task, t.state, t.partitions]),
    [
      ['extract', 'complete', { '2024-01-03': 'complete', '2024-01-04': 'complete' }],
      ['validate', 'failed', { '2024-01-03': 'failed', '2024-01-04': 'complete' }],
      ['train', 'never run', undefined],
    ],
  );
  const plan = cli(
    ['plan', 'p.pipeline.yaml', '--from', '2024-01-03', '--to', '2024-01-05', '--json'],
    {
      cwd: dir,
    },
  );
  const steps = (
    JSON.parse(plan.stdout) as { tasks: { task: string; partition?: string; action: string }[] }
  ).tasks;
  assert.deepEqual(
    steps.map((s) => `${s.task}${s.partition ? '@' + s.partition : ''} ${s.action}`),
    [
      'extract@2024-01-03 skip',
      'validate@2024-01-03 run',
      'extract@2024-01-04 skip',
      'validate@2024-01-04 skip',
      'extract@2024-01-05 run',
      'validate@2024-01-05 run',
      'train run',
    ],
  );
  // The same document without the CLI, for the editor (runner/api.ts).
  const api = await partitionStatus(path.join(dir, 'p.pipeline.yaml'), {
    from: '2024-01-03',
    to: '2024-01-04',
  });
  assert.deepEqual(JSON.parse(JSON.stringify({ ...api, file: 'p.pipeline.yaml' })), {
    ...doc,
    pipeline: 'daily',
    file: 'p.pipeline.yaml',
  });
  const text = cli(['plan', 'p.pipeline.yaml', '--partition', '2024-01-03'], { cwd: dir }).stdout;
  assert.match(text, /^plan for daily \(partition 2024-01-03\): 2 of 3 tasks will run/);
  assert.match(text, /1\.\s+validate@2024-01-03\s+run\s+last attempt failed/);
  // plan ran nothing.
  assert.equal(fs.existsSync(path.join(dir, 'raw', '2024-01-05.csv')), false);
});

test('history and lineage know partitions', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': DAILY.replace(
      'run: mkdir -p raw && echo',
      'inputs: ["incoming/${partition}.csv"]\n    run: mkdir -p raw && cat "incoming/${partition}.csv" > /dev/null && echo',
    ).replace('tasks:', 'sources: [incoming/]\ntasks:'),
    'incoming/2024-01-02.csv': 'a\n',
    'incoming/2024-01-03.csv': 'b\n',
  });
  const b = cli(['backfill', 'p.pipeline.yaml', '--from', '2024-01-02', '--to', '2024-01-03'], {
    cwd: dir,
  });
  assert.equal(b.code, 0, b.stdout + b.stderr);
  const lin = cli(['lineage', 'p.pipeline.yaml', 'valid/2024-01-03.csv', '--json'], { cwd: dir });
  assert.equal(lin.code, 0, lin.stderr);
  const node = JSON.parse(lin.stdout) as {
    task: string;
    partition: string;
    inputs: {
      path: string;
      task: string;
      partition: string;
      inputs: { path: string; kind: string }[];
    }[];
  };
  assert.equal(node.task, 'validate');
  assert.equal(node.partition, '2024-01-03');
  assert.equal(node.inputs[0]!.path, 'raw/2024-01-03.csv');
  assert.equal(node.inputs[0]!.partition, '2024-01-03');
  assert.deepEqual(
    node.inputs[0]!.inputs.map((i) => [i.path, i.kind]),
    [['incoming/2024-01-03.csv', 'source']],
  );
  const text = cli(['lineage', 'p.pipeline.yaml', 'valid/2024-01-03.csv'], { cwd: dir }).stdout;
  assert.match(text, /^valid\/2024-01-03\.csv {2}← validate partition 2024-01-03 \(run /m);
  assert.match(text, /incoming\/2024-01-03\.csv {2}\[source\]/);

  const h = JSON.parse(cli(['history', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout) as {
    runs: { partitions: string[]; tasks: { task: string; partition?: string }[] }[];
  };
  assert.deepEqual(h.runs[0]!.partitions, ['2024-01-02', '2024-01-03']);
  assert.deepEqual(
    h.runs[0]!.tasks.map((t) => [t.task, t.partition]),
    [
      ['extract', '2024-01-02'],
      ['validate', '2024-01-02'],
      ['extract', '2024-01-03'],
      ['validate', '2024-01-03'],
      ['train', undefined],
    ],
  );
  const one = cli(['history', 'p.pipeline.yaml', '--partition', '2024-01-03'], { cwd: dir }).stdout;
  assert.match(one, /partitions 2024-01-02 … 2024-01-03 \(2\)/);
  assert.match(one, /extract@2024-01-03/);
  assert.doesNotMatch(one, /2024-01-02\s+success|extract@2024-01-02|train/);
});

test('values: partitions: run runs every value, --partition one; an unknown value is refused', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: regions
partitions: { values: [eu, us, apac] }
tasks:
  pull:
    run: mkdir -p out && echo "$TRIBUTARY_PARTITION" > "out/\${partition}.txt" && echo "\${partition}" >> ran.log
    outputs: ["out/\${partition}.txt"]
`,
  });
  assert.equal(cli(['run', 'p.pipeline.yaml', '--partition', 'us'], { cwd: dir }).code, 0);
  assert.deepEqual(ranLog(dir), ['us']);
  const all = cli(['run', 'p.pipeline.yaml', '--workers', '1'], { cwd: dir });
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(ranLog(dir), ['us', 'eu', 'apac']);
  assert.equal(fs.readFileSync(path.join(dir, 'out', 'apac.txt'), 'utf8'), 'apac\n');
  const bad = cli(['run', 'p.pipeline.yaml', '--partition', 'mars'], { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /^tributary: --partition: 'mars' is not one of the partitions: eu, us, apac\n$/,
  );
});

test('a task over all partitions: complete after a daily run, run again for a new partition, not for a backfill of done ones', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': DAILY });
  assert.equal(cli(['run', 'p.pipeline.yaml', '--partition', '2024-01-05'], { cwd: dir }).code, 0);
  // Days that never ran are no change to train (they are not data yet).
  assert.match(cli(['status', 'p.pipeline.yaml'], { cwd: dir }).stdout, /^train\s+✓ complete$/m);
  assert.equal(cli(['run', 'p.pipeline.yaml', '--partition', '2024-01-04'], { cwd: dir }).code, 0);
  assert.deepEqual(ranLog(dir).filter((l) => l === 'train').length, 2, 'a new day retrains');
  const b = cli(['backfill', 'p.pipeline.yaml', '--from', '2024-01-04', '--to', '2024-01-05'], {
    cwd: dir,
  });
  assert.equal(b.code, 0);
  assert.match(b.stdout, /0 ran, 2 already complete/);
  assert.deepEqual(
    ranLog(dir).filter((l) => l === 'train').length,
    2,
    'nothing new: train not run',
  );
  // An earlier partition run again (its output removed) is a change to train.
  fs.rmSync(path.join(dir, 'valid', '2024-01-04.csv'));
  assert.equal(cli(['run', 'p.pipeline.yaml', '--partition', '2024-01-04'], { cwd: dir }).code, 0);
  assert.deepEqual(ranLog(dir).filter((l) => l === 'train').length, 3);
});

test('hourly across the Paris clock change and ISO weeks: each instance gets its own period', () => {
  const task = `tasks:
  t:
    run: mkdir -p out && echo "\${partition.start} \${partition.end}" > "out/\${partition}.txt"
    outputs: ["out/\${partition}.txt"]
`;
  const dir = writeTree(tempDir(), {
    'h.pipeline.yaml': `pipeline: h\npartitions:\n  hourly: { start: "2024-03-31", end: "2024-03-31T05", timezone: Europe/Paris }\n${task}`,
    'w.pipeline.yaml': `pipeline: w\npartitions:\n  weekly: { start: "2024-12-23", end: "2025-01-06", timezone: UTC }\n${task}`,
  });
  const h = cli(
    ['backfill', 'h.pipeline.yaml', '--from', '2024-03-31T01', '--to', '2024-03-31T03'],
    {
      cwd: dir,
    },
  );
  assert.equal(h.code, 0, h.stdout + h.stderr);
  // 02:00 does not exist that night: two partitions, the first ends at the jump.
  assert.deepEqual(fs.readdirSync(path.join(dir, 'out')).sort(), [
    '2024-03-31T01.txt',
    '2024-03-31T03.txt',
  ]);
  assert.equal(
    fs.readFileSync(path.join(dir, 'out', '2024-03-31T01.txt'), 'utf8'),
    '2024-03-31T01:00:00+01:00 2024-03-31T03:00:00+02:00\n',
  );
  fs.rmSync(path.join(dir, 'out'), { recursive: true });
  const w = cli(['backfill', 'w.pipeline.yaml'], { cwd: dir });
  assert.equal(w.code, 0, w.stdout + w.stderr);
  assert.deepEqual(fs.readdirSync(path.join(dir, 'out')).sort(), [
    '2024-W52.txt',
    '2025-W01.txt',
    '2025-W02.txt',
  ]);
  assert.equal(
    fs.readFileSync(path.join(dir, 'out', '2025-W01.txt'), 'utf8'),
    '2024-12-30T00:00:00+00:00 2025-01-06T00:00:00+00:00\n',
  );
});
