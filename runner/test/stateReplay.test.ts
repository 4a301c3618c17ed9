/** state.json replays run records it has not seen: records of skips only are counted, not parsed. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { statePaths } from '../records/paths';
import { StateStore } from '../state/store';
import { tempDir } from './cliHelpers';

const line = (o: object): string => JSON.stringify(o) + '\n';
const startedRun = (run: string): string =>
  line({
    ts: '2026-01-01T00:00:00.000Z',
    event: 'run_started',
    run,
    pipeline: 'p',
    file: 'p.pipeline.yaml',
    tasks: ['a', 'b'],
    params: {},
    workers: 1,
  });
const skip = (run: string, task: string): string =>
  line({
    ts: '2026-01-01T00:00:01.000Z',
    event: 'task_skipped',
    run,
    task,
    status: 'complete',
    reason: 'complete',
  });
const finish = (run: string, task: string, status: string): string =>
  line({ ts: '2026-01-01T00:00:02.000Z', event: 'task_started', run, task, attempt: 1 }) +
  line({
    ts: '2026-01-01T00:00:03.000Z',
    event: 'task_finished',
    run,
    task,
    attempt: 1,
    status,
    exit_code: status === 'success' ? 0 : 1,
    duration_ms: 5,
  });

test('a record of skips moves the watermark without changing tasks; events after it are still applied', () => {
  const dir = tempDir();
  const paths = statePaths(path.join(dir, 'p.pipeline.yaml'));
  fs.mkdirSync(paths.runs, { recursive: true });
  const write = (run: string, text: string): void =>
    fs.writeFileSync(path.join(paths.runs, `${run}.jsonl`), text);
  write('r1', startedRun('r1') + finish('r1', 'a', 'success') + finish('r1', 'b', 'success'));
  new StateStore(paths).load().save();
  // Two runs of skips only (the second with a torn last line, as after a crash), then a failure.
  write('r2', startedRun('r2') + skip('r2', 'a') + skip('r2', 'b'));
  write('r3', startedRun('r3') + skip('r3', 'a') + '{"ts":"2026');
  write('r4', startedRun('r4') + finish('r4', 'b', 'failed'));
  const s = new StateStore(paths).load();
  assert.equal(s.tasks.a?.status, 'success');
  assert.equal(s.tasks.a?.run, 'r1');
  assert.equal(s.tasks.b?.status, 'failed');
  assert.equal(s.tasks.b?.run, 'r4');
  s.save();
  const saved = JSON.parse(fs.readFileSync(paths.state, 'utf8'));
  const size = (run: string): number => fs.statSync(path.join(paths.runs, `${run}.jsonl`)).size;
  const r4 = { run: 'r4', events: 3, bytes: size('r4') };
  assert.deepEqual(saved.pipelines['p.pipeline.yaml'].applied, r4);

  // A skip-only record that grows after being applied once: only its new lines count.
  write('r5', startedRun('r5') + skip('r5', 'a'));
  const t = new StateStore(paths).load();
  t.save();
  fs.appendFileSync(path.join(paths.runs, 'r5.jsonl'), skip('r5', 'b'));
  new StateStore(paths).load().save();
  const again = JSON.parse(fs.readFileSync(paths.state, 'utf8'));
  // r5 changed no task, so state.json was not rewritten for it: still at r4.
  assert.deepEqual(again.pipelines['p.pipeline.yaml'].applied, r4);
  const u = new StateStore(paths).load();
  assert.equal(u.tasks.b?.status, 'failed');
  // A record of another pipeline file in the same folder is not applied.
  write(
    'r6',
    line({
      ts: '2026-01-01T00:00:00.000Z',
      event: 'run_started',
      run: 'r6',
      pipeline: 'q',
      file: 'q.pipeline.yaml',
      tasks: [],
      params: {},
      workers: 1,
    }) + skip('r6', 'a'),
  );
  write('r7', startedRun('r7') + finish('r7', 'a', 'failed'));
  const v = new StateStore(paths).load();
  assert.equal(v.tasks.a?.status, 'failed');
  assert.equal(v.tasks.a?.run, 'r7');

  // Ten records of skips: state.json is rewritten once, its watermark counting every line of
  // the last record as the full parse would (the torn line too).
  for (let i = 10; i < 20; i++)
    write(`s${i}`, startedRun(`s${i}`) + skip(`s${i}`, 'a') + (i === 19 ? '{"ts"' : ''));
  new StateStore(paths).load().save();
  const ten = JSON.parse(fs.readFileSync(paths.state, 'utf8'));
  assert.deepEqual(ten.pipelines['p.pipeline.yaml'].applied, {
    run: 's19',
    events: 3,
    bytes: size('s19'),
  });
  assert.equal(ten.pipelines['p.pipeline.yaml'].tasks.a.run, 'r7');

  // Records of skips, the last one another pipeline's: the watermark is this pipeline's last, its
  // lines counted (only that record's are: the others are skips of no consequence).
  for (let i = 20; i < 30; i++) write(`s${i}`, startedRun(`s${i}`) + skip(`s${i}`, 'a'));
  fs.appendFileSync(path.join(paths.runs, 's29.jsonl'), skip('s29', 'b'));
  write(
    's30',
    line({ ...JSON.parse(startedRun('s30')), file: 'q.pipeline.yaml' }) + skip('s30', 'a'),
  );
  new StateStore(paths).load().save();
  const mixed = JSON.parse(fs.readFileSync(paths.state, 'utf8'));
  assert.deepEqual(mixed.pipelines['p.pipeline.yaml'].applied, {
    run: 's29',
    events: 3,
    bytes: size('s29'),
  });
});

test('the last record applied is not read again while its size is unchanged; once it grows, its new lines are', () => {
  const dir = tempDir();
  const paths = statePaths(path.join(dir, 'p.pipeline.yaml'));
  fs.mkdirSync(paths.runs, { recursive: true });
  const file = path.join(paths.runs, 'r1.jsonl');
  fs.writeFileSync(file, startedRun('r1') + finish('r1', 'a', 'success'));
  new StateStore(paths).load().save();
  // Same size, other content: a record is append-only, so an unchanged size means nothing new
  // (this rewrite only shows that the record was not read again).
  const text = fs.readFileSync(file, 'utf8');
  fs.writeFileSync(file, text.replace('"status":"success"', '"status":"failure"'));
  assert.equal(new StateStore(paths).load().tasks.a?.status, 'success');
  // Grown: read again, and only the lines after the watermark are applied.
  fs.appendFileSync(file, finish('r1', 'b', 'failed'));
  const s = new StateStore(paths).load();
  assert.equal(s.tasks.a?.status, 'success');
  assert.equal(s.tasks.b?.status, 'failed');
});

test('a run in progress keeps the byte count of its record with its watermark', () => {
  const dir = tempDir();
  const paths = statePaths(path.join(dir, 'p.pipeline.yaml'));
  fs.mkdirSync(paths.runs, { recursive: true });
  const s = new StateStore(paths).load();
  const lines = (startedRun('r1') + finish('r1', 'a', 'success')).trim().split('\n');
  for (const l of lines) {
    fs.appendFileSync(path.join(paths.runs, 'r1.jsonl'), l + '\n');
    s.record(JSON.parse(l), Buffer.byteLength(l + '\n'));
  }
  s.save();
  const saved = JSON.parse(fs.readFileSync(paths.state, 'utf8')).pipelines['p.pipeline.yaml'];
  const size = fs.statSync(path.join(paths.runs, 'r1.jsonl')).size;
  assert.deepEqual(saved.applied, { run: 'r1', events: 3, bytes: size });
  // An event without its length (not from the record's writer) drops the count: no skipping.
  s.record({ ...JSON.parse(lines[1] as string), task: 'b' });
  s.save();
  const after = JSON.parse(fs.readFileSync(paths.state, 'utf8')).pipelines['p.pipeline.yaml'];
  assert.deepEqual(after.applied, { run: 'r1', events: 4 });
});
