/** The daily demo through the CLI: a week backfilled (raw data kept per day, model over every day), again = nothing, the glitched day fails alone. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir } from './cliHelpers';
import { lastRun, started } from './runHelpers';

const example = path.resolve(import.meta.dirname, '..', '..', 'examples', 'daily');
const WEEK = ['01', '02', '03', '04', '05', '06', '07'].map((d) => `2024-01-${d}`);

test('daily demo: backfill a week, then nothing left; a later range fails only the glitched day', () => {
  const dir = path.join(tempDir(), 'daily');
  fs.cpSync(example, dir, {
    recursive: true,
    filter: (src) => !/\/(data|models|\.tributary)$/.test(src),
  });
  const r = cli(
    [
      'backfill',
      'daily.pipeline.yaml',
      '--from',
      '2024-01-01',
      '--to',
      '2024-01-07',
      '--workers',
      '2',
    ],
    { cwd: dir },
  );
  assert.equal(r.code, 0, r.stdout + r.stderr);
  // Every day's raw drop is kept as it came, and its features carry the day's period.
  for (const day of WEEK) {
    assert.equal(
      fs.readFileSync(path.join(dir, 'data/raw', `${day}.csv`), 'utf8'),
      fs.readFileSync(path.join(dir, 'incoming', `${day}.csv`), 'utf8'),
    );
    const f = JSON.parse(fs.readFileSync(path.join(dir, 'data/features', `${day}.json`), 'utf8'));
    assert.deepEqual(f.period, [`${day}T00:00:00+00:00`, f.period[1]]);
  }
  assert.ok(!fs.existsSync(path.join(dir, 'data/raw/2024-01-08.csv')), 'only the range ran');
  // The model learnt from every day of the week, once, after all of them.
  assert.deepEqual(
    JSON.parse(fs.readFileSync(path.join(dir, 'models/model.json'), 'utf8')).days,
    WEEK,
  );
  const ev = lastRun(dir);
  const trainAt = ev.findIndex((e) => e.event === 'task_started' && e.task === 'train');
  const lastFeature = ev.reduce(
    (last, e, k) => (e.event === 'task_finished' && e.task === 'features' ? k : last),
    -1,
  );
  assert.ok(trainAt > lastFeature, 'train after every day');
  assert.equal(started(ev).filter((t) => t === 'train').length, 1);
  // Oldest first.
  const ingests = ev
    .filter((e) => e.event === 'task_started' && e.task === 'ingest')
    .map((e) => ('partition' in e ? e.partition : ''));
  assert.deepEqual(ingests, WEEK);

  // The same week again: everything is complete, nothing runs.
  const again = cli(
    ['backfill', 'daily.pipeline.yaml', '--from', '2024-01-01', '--to', '2024-01-07'],
    {
      cwd: dir,
    },
  );
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.deepEqual(started(lastRun(dir)), []);

  // The rest: 2024-01-10 has a sensor glitch; that day fails alone, the others go on.
  const rest = cli(
    ['backfill', 'daily.pipeline.yaml', '--from', '2024-01-08', '--to', '2024-01-14'],
    {
      cwd: dir,
    },
  );
  assert.equal(rest.code, 1, rest.stdout + rest.stderr);
  assert.match(rest.stdout + rest.stderr, /2024-01-10.*999/);
  for (const day of ['2024-01-08', '2024-01-09', '2024-01-11', '2024-01-14'])
    assert.ok(fs.existsSync(path.join(dir, 'data/features', `${day}.json`)), day);
  assert.ok(!fs.existsSync(path.join(dir, 'data/valid/2024-01-10.csv')));
  const status = JSON.parse(cli(['status', 'daily.pipeline.yaml', '--json'], { cwd: dir }).stdout);
  const validate = status.tasks.find((t: { task: string }) => t.task === 'validate');
  assert.equal(validate.partitions['2024-01-10'], 'failed');
  assert.equal(validate.partitions['2024-01-09'], 'complete');
});
