/** The demo data product runs end to end, deploys a model that beats the baseline, and a second run does nothing. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir } from './cliHelpers';
import { lastRun, started } from './runHelpers';

const example = path.resolve(import.meta.dirname, '..', '..', 'examples', 'weather');

test('demo: examples/weather runs end to end, then a second run does nothing', () => {
  const dir = path.join(tempDir(), 'weather');
  fs.cpSync(example, dir, {
    recursive: true,
    filter: (src) => !/\/(data|models|reports|deploy|\.tributary)$/.test(src),
  });
  const r = cli(['run', 'weather.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(started(lastRun(dir)).length, 13);
  const selection = JSON.parse(fs.readFileSync(path.join(dir, 'reports/selection.json'), 'utf8'));
  assert.ok(
    selection.score > selection.all.baseline.macro_f1,
    'the chosen model beats the baseline',
  );
  for (const f of ['model.json', 'metrics.json', 'MODEL_CARD.md'])
    assert.ok(fs.existsSync(path.join(dir, 'deploy/current', f)), f);
  // The selection reports its numbers for the graph (through $TRIBUTARY_METRICS).
  const chose = lastRun(dir).find((e) => e.event === 'task_finished' && e.task === 'select');
  assert.ok(chose?.event === 'task_finished');
  assert.equal(chose.metrics?.model, selection.model);
  assert.equal(chose.metrics?.[selection.metric], selection.score);

  const again = cli(['run', 'weather.pipeline.yaml'], { cwd: dir });
  assert.equal(again.code, 0);
  assert.deepEqual(started(lastRun(dir)), []);

  // A new daily drop re-runs the extraction and everything below it, not the other extracts.
  fs.copyFileSync(path.join(dir, 'incoming/2013.csv'), path.join(dir, 'incoming/2013-copy.csv'));
  const plan = JSON.parse(cli(['plan', 'weather.pipeline.yaml', '--json'], { cwd: dir }).stdout);
  assert.equal(plan.run[0], 'extract_files');
  assert.ok(!plan.run.includes('extract_url') && !plan.run.includes('extract_db'));
  // …and validation fails loudly on the duplicated dates, naming the rows.
  const bad = cli(['run', 'weather.pipeline.yaml'], { cwd: dir });
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /\[validate\] .*duplicate date 2013-01-01/);
});
