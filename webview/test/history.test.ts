/**
 * The History panel in a real Chromium, fed the history the runner reads from real run records:
 * attempts apart with the retry wait between, the tasks that did not run (a cancelled run's
 * never-started ones too), metrics over runs.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { HistoryRun } from '../../core/run/history';
import { graphOf, openWebview, sharedBrowser, shotsDir, type WebviewPage } from './harness';

/** Screenshots to look at (a temp folder unless HISTORY_SHOTS says); the README's only for `npm run screenshots`. */
const SHOTS = process.env.HISTORY_SHOTS ?? fs.mkdtempSync(path.join(os.tmpdir(), 'history-shots-'));
const DOCS = process.env.TRIBUTARY_SCREENSHOTS_DIR ? shotsDir() : undefined;
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const WEATHER = path.join(ROOT, 'examples', 'weather');

/** The built CLI, as a user runs it (build first: node scripts/build.mjs). */
function cli(args: string[], cwd: string): { code: number | null; out: string } {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** What the host sends the panel: `tributary history --json`'s runs (the same reader). */
function history(dir: string, file: string): HistoryRun[] {
  const r = cli(['history', file, '--json'], dir);
  assert.equal(r.code, 0, r.out);
  return (JSON.parse(r.out) as { runs: HistoryRun[] }).runs;
}

function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A model pipeline: a flaky step that fails its first attempt, a trained score, a gate, a deploy. */
const PIPELINE = `pipeline: model
tasks:
  prepare:
    run: node -e "require('fs').mkdirSync('data',{recursive:true});require('fs').copyFileSync('raw.txt','data/prep.txt')"
    inputs: [raw.txt]
    outputs: [data/prep.txt]
  flaky:
    run: node flaky.js
    needs: [prepare]
    inputs: [score.txt]
    outputs: [data/flaky.txt]
    retries: 1
    retry_delay: 1s
  train:
    run: node train.js
    needs: [flaky]
    inputs: [score.txt, data/flaky.txt]
    outputs: [data/model.txt]
  check:
    run: node check.js
    needs: [train]
    inputs: [data/model.txt]
    outputs: [data/check.txt]
  deploy:
    run: node -e "require('fs').copyFileSync('data/model.txt','deploy.txt')"
    needs: [check]
    inputs: [data/check.txt]
    outputs: [deploy.txt]
`;

const SCRIPTS = {
  // Fails once per run (the test removes the marker before each run), then succeeds.
  'flaky.js': `const fs = require('fs');
if (!fs.existsSync('.flaky-once')) { fs.writeFileSync('.flaky-once', ''); process.exit(3); }
fs.writeFileSync('data/flaky.txt', 'ok');`,
  'train.js': `const fs = require('fs');
const score = Number(fs.readFileSync('score.txt', 'utf8'));
fs.writeFileSync('data/model.txt', String(score));
fs.writeFileSync(process.env.TRIBUTARY_METRICS, JSON.stringify({ macro_f1: score, rows: 1461, model: 'forest' }));`,
  // The gate: a score under 0.75 is not deployed.
  'check.js': `const fs = require('fs');
const score = Number(fs.readFileSync('data/model.txt', 'utf8'));
if (score < 0.75) { console.error('score ' + score + ' under 0.75'); process.exit(1); }
fs.writeFileSync('data/check.txt', 'ok');`,
};

const shared = sharedBrowser();

async function open(
  text: string,
  theme: 'dark' | 'light' = 'dark',
  size = { width: 1280, height: 800 },
): Promise<WebviewPage> {
  const w = await openWebview(shared.browser, shared.url, theme, size);
  await w.send({ type: 'init', version: 1, graph: graphOf(text), events: [], trusted: true });
  await w.page.waitForSelector('.app[data-layout="final"]');
  return w;
}

async function showHistory(w: WebviewPage, runs: HistoryRun[]): Promise<void> {
  await w.page.locator('#history').click();
  await w.send({ type: 'history/data', runs });
  await w.page.locator('.history .run').first().waitFor();
}

/** Three real runs: scores 0.82, 0.84, then 0.71 (the gate fails, the deploy does not run). */
function threeRuns(): { file: string; runs: HistoryRun[] } {
  const dir = tempDir('tributary-history-');
  const files = { 'model.pipeline.yaml': PIPELINE, 'raw.txt': 'rows\n', ...SCRIPTS };
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const file = 'model.pipeline.yaml';
  for (const [score, code] of [
    ['0.82', 0],
    ['0.84', 0],
    ['0.71', 1],
  ] as const) {
    fs.writeFileSync(path.join(dir, 'score.txt'), score);
    fs.rmSync(path.join(dir, '.flaky-once'), { force: true });
    const r = cli(['run', file], dir);
    assert.equal(r.code, code, r.out);
  }
  return { file, runs: history(dir, file) };
}

test('history from real run records: attempts apart with the retry wait, the tasks that did not run, metrics over runs', async () => {
  const { runs } = threeRuns();
  assert.equal(runs.length, 3);
  const [latest] = runs;
  assert.ok(latest);
  // The reader: the flaky task's two attempts, the wait of about 1 s between them.
  const flaky = latest.tasks.find((t) => t.task === 'flaky');
  assert.deepEqual(
    flaky?.tries?.map((a) => [a.attempt, a.status]),
    [
      [1, 'failed'],
      [2, 'success'],
    ],
  );
  assert.equal(flaky?.tries?.[1]?.retry_delay_ms, 1000);
  assert.deepEqual(latest.complete, ['prepare']);
  assert.deepEqual(latest.upstream_failed, ['deploy']);
  assert.equal(latest.tasks.find((t) => t.task === 'train')?.metrics?.macro_f1, 0.71);

  const w = await open(PIPELINE);
  await showHistory(w, runs);
  const run = w.page.locator(`.history .run[data-run="${latest.id}"]`);
  assert.match((await run.textContent()) ?? '', /failed \(check\)/);

  // Two segments for the flaky task, the hatched wait between them, with its tooltip.
  const row = w.page.locator('.gantt .bar-row[data-task="flaky"]');
  assert.equal(await row.locator('.bar').count(), 2);
  assert.equal(await row.locator('.bar[data-attempt="1"].status-failed').count(), 1);
  assert.equal(await row.locator('.bar[data-attempt="2"].status-success').count(), 1);
  const wait = row.locator('.bar-retry');
  assert.equal(await wait.count(), 1);
  assert.match((await wait.getAttribute('title')) ?? '', /^waiting 1\.\d\ds before attempt 2$/);
  const [one, gap, two] = await Promise.all([
    row.locator('.bar[data-attempt="1"]').boundingBox(),
    wait.boundingBox(),
    row.locator('.bar[data-attempt="2"]').boundingBox(),
  ]);
  assert.ok(one && gap && two);
  assert.ok(gap.width >= 10, `the wait is drawn (${gap.width}px)`);
  assert.ok(Math.abs(one.x + one.width - gap.x) <= 1, 'the wait starts where attempt 1 ends');
  assert.ok(Math.abs(gap.x + gap.width - two.x) <= 1, 'attempt 2 starts where the wait ends');
  assert.match((await row.locator('.bar-time').textContent()) ?? '', /×2$/);
  // A task that ran once: one segment, no wait.
  assert.equal(await w.page.locator('.bar-row[data-task="train"] .bar').count(), 1);
  assert.equal(await w.page.locator('.bar-row[data-task="train"] .bar-retry').count(), 0);

  // The tasks that did not run.
  assert.equal(
    await w.page.locator('.not-run-upstream').textContent(),
    'Not run (upstream failed): deploy',
  );
  assert.equal(
    await w.page.locator('.not-run-complete').textContent(),
    'Skipped (already complete): prepare',
  );

  // Metrics over the three runs: a point each, oldest first, the drop written out as worse.
  const f1 = w.page.locator('.metric-task[data-task="train"] .metric-row[data-metric="macro_f1"]');
  const points = f1.locator('circle');
  assert.equal(await points.count(), 3);
  assert.deepEqual(
    await points.evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-value')))),
    [0.82, 0.84, 0.71],
  );
  const ys = await points.evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))));
  assert.ok(
    ys[2]! > ys[1]! && ys[2]! > ys[0]!,
    'the latest point is drawn lowest (SVG y grows down)',
  );
  assert.equal(await f1.locator('.metric-latest').textContent(), '0.71');
  assert.equal(await f1.locator('.metric-range').textContent(), '0.71 – 0.84');
  assert.equal(await f1.locator('.metric-delta.worse').textContent(), ' ▼ 0.13');
  // rows did not change: no delta; the string metric is not plotted; the run time sits beside.
  const rows = w.page.locator('.metric-row[data-metric="rows"]');
  assert.equal(await rows.locator('.metric-latest').textContent(), '1,461');
  assert.equal(await rows.locator('.metric-delta').count(), 0);
  assert.equal(await w.page.locator('.metric-row[data-metric="model"]').count(), 0);
  assert.equal(
    await w.page
      .locator('.metric-task[data-task="train"] .metric-row[data-metric="run time"] circle')
      .count(),
    3,
  );
  await w.page.screenshot({ path: path.join(SHOTS, 'history-dark.png') });
  await w.page.locator('.history').screenshot({ path: path.join(SHOTS, 'history-panel-dark.png') });

  // Choosing the latest run colours the graph by it, the tasks that did not run included.
  await run.click();
  await w.page
    .locator('.react-flow__node[data-id="deploy"][data-status="upstream_failed"]')
    .waitFor();
  await w.page.locator('.react-flow__node[data-id="prepare"][data-status="complete"]').waitFor();
  await w.page.locator('.react-flow__node[data-id="check"][data-status="failed"]').waitFor();
  if (DOCS) await w.page.screenshot({ path: path.join(DOCS, 'graph-history-metrics.png') });

  // Hover: the value of that run; click: that run is chosen and colours the graph.
  await points.first().hover();
  assert.match((await f1.locator('.metric-hover').textContent()) ?? '', /^0\.82 /);
  await points.first().click();
  const oldest = runs[2]!;
  await w.page.locator(`.gantt[data-run="${oldest.id}"]`).waitFor();
  await w.page.locator('.react-flow__node[data-id="deploy"][data-status="success"]').waitFor();
  assert.equal(await f1.locator(`circle.chosen[data-run="${oldest.id}"]`).count(), 1);
  await w.page.close();

  // Light theme, at the default size: the same panel, for a look.
  const light = await open(PIPELINE, 'light');
  await showHistory(light, runs);
  await light.page.locator('.metric-row').first().waitFor();
  await light.page.screenshot({ path: path.join(SHOTS, 'history-light.png') });
  await light.page
    .locator('.history')
    .screenshot({ path: path.join(SHOTS, 'history-panel-light.png') });
  await light.page.close();
});

test('history: a long list of complete tasks is compact (… +N); a task with no attempt times keeps one bar', async () => {
  const names = Array.from({ length: 10 }, (_, i) => `step_${i}`);
  const run: HistoryRun = {
    id: 'r1',
    started: '2026-11-20T00:00:00.000Z',
    status: 'success',
    duration_ms: 1000,
    trigger: null,
    skipped: names.length,
    complete: names,
    upstream_failed: [],
    tasks: [
      {
        task: 'train',
        status: 'success',
        attempts: 1,
        queued: null,
        started: '2026-11-20T00:00:00.000Z',
        finished: '2026-11-20T00:00:01.000Z',
        duration_ms: 1000,
      },
    ],
  };
  const w = await open(PIPELINE);
  await showHistory(w, [run]);
  assert.equal(
    await w.page.locator('.not-run-complete').textContent(),
    'Skipped (already complete): step_0, step_1, step_2, step_3, step_4, step_5 … +4',
  );
  assert.equal(await w.page.locator('.not-run-upstream').count(), 0);
  assert.equal(await w.page.locator('.bar-row[data-task="train"] .bar').count(), 1);
  // No metrics reported: no metrics section.
  assert.equal(await w.page.locator('.metric-trends').count(), 0);
  await w.page.close();
});

test("the demo's macro F1 shows in the History panel across two real runs of examples/weather", async () => {
  const dir = path.join(tempDir('tributary-history-demo-'), 'weather');
  fs.cpSync(WEATHER, dir, {
    recursive: true,
    filter: (src) => !/\/(data|models|reports|deploy|\.tributary)$/.test(src),
  });
  const file = 'weather.pipeline.yaml';
  assert.equal(cli(['run', file], dir).code, 0);
  // Another test year: the models are trained and scored again, the extracts are complete.
  assert.equal(cli(['run', file, '--param', 'test_year=2014'], dir).code, 0);
  const runs = history(dir, file);
  const scores = runs
    .map((r) => r.tasks.find((t) => t.task === 'select')?.metrics?.macro_f1)
    .reverse();
  assert.equal(scores.length, 2);
  assert.ok(scores.every((s) => typeof s === 'number'));

  const w = await open(fs.readFileSync(path.join(dir, file), 'utf8'));
  await showHistory(w, runs);
  const f1 = w.page.locator('.metric-task[data-task="select"] .metric-row[data-metric="macro_f1"]');
  await f1.waitFor();
  assert.deepEqual(
    await f1
      .locator('circle')
      .evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('data-value')))),
    scores,
  );
  assert.equal(
    await f1.locator('.metric-latest').textContent(),
    String(Number((scores[1] as number).toPrecision(3))),
  );
  assert.match(
    (await w.page.locator('.not-run-complete').textContent()) ?? '',
    /^Skipped \(already complete\): extract_files, extract_url, extract_db, validate, transform, features$/,
  );
  await w.page.screenshot({ path: path.join(SHOTS, 'history-demo.png') });
  await w.page.close();

  // A narrow pane (the graph beside the YAML): the panel goes below the canvas, its charts whole.
  const narrow = await open(fs.readFileSync(path.join(dir, file), 'utf8'), 'dark', {
    width: 600,
    height: 900,
  });
  await showHistory(narrow, runs);
  const chart = await narrow.page.locator('.metric-row[data-metric="macro_f1"] svg').boundingBox();
  assert.ok(chart && chart.x + chart.width <= 600, 'the chart fits the pane');
  await narrow.page.screenshot({ path: path.join(SHOTS, 'history-demo-narrow.png') });
  await narrow.page.close();
});

/** Four tasks in a chain; the second sleeps until the run is cancelled. */
const CHAIN = `pipeline: chain
tasks:
  extract:
    run: echo rows > raw.txt
    outputs: [raw.txt]
  clean:
    needs: [extract]
    run: touch clean-started && sleep 300 && cp raw.txt clean.txt
    outputs: [clean.txt]
  train:
    needs: [clean]
    run: cp clean.txt model.txt
    outputs: [model.txt]
  deploy:
    needs: [train]
    run: cp model.txt deployed.txt
    outputs: [deployed.txt]
`;

test('a real run cancelled (Ctrl+C) while task 2 of 4 sleeps: the panel names the two tasks it never started', async () => {
  const dir = tempDir('tributary-history-cancel-');
  const file = 'chain.pipeline.yaml';
  fs.writeFileSync(path.join(dir, file), CHAIN);
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'cli.js'), 'run', file], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 60_000;
  while (!fs.existsSync(path.join(dir, 'clean-started'))) {
    assert.ok(Date.now() < deadline, 'task 2 (clean) did not start within 60 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGINT');
  const [code] = await once(child, 'exit');
  assert.equal(code, 130);
  const runs = history(dir, file);
  assert.equal(runs[0]?.status, 'cancelled');
  assert.deepEqual(runs[0]?.not_started, ['train', 'deploy']);

  const w = await open(CHAIN);
  await showHistory(w, runs);
  assert.equal(
    await w.page.locator('.not-run-not-started').textContent(),
    'Not run (cancelled): train, deploy',
  );
  // The timeline has the two tasks that ran; the others are named, not drawn.
  assert.deepEqual(
    await w.page
      .locator('.gantt .bar-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-task'))),
    ['extract', 'clean'],
  );
  assert.equal(await w.page.locator('.not-run-upstream').count(), 0);
  assert.equal(await w.page.locator('.not-run-complete').count(), 0);
  // Choosing the run colours the graph by it: the never-started tasks as not run, not "never run".
  await w.page.locator(`.history .run[data-run="${runs[0]!.id}"]`).click();
  await w.page.locator('.react-flow__node[data-id="clean"][data-status="cancelled"]').waitFor();
  for (const task of ['train', 'deploy'])
    await w.page
      .locator(`.react-flow__node[data-id="${task}"][data-status="cancelled"]`)
      .waitFor({ timeout: 10_000 });
  // A name selects its task, as the other lists' names do.
  await w.page.locator('.not-run-not-started a', { hasText: 'deploy' }).click();
  await w.page.locator('.react-flow__node[data-id="deploy"] .task-node.selected').waitFor();
  await w.page.screenshot({ path: path.join(SHOTS, 'history-cancelled-graph.png') });
  await w.page.locator('.history').screenshot({ path: path.join(SHOTS, 'history-cancelled.png') });
  await w.page.close();
});
