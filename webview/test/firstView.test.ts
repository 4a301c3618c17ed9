/** The first view and the truth of statuses in a real Chromium: direction, readable zoom, refit, legend, badges, plan, last states, logs. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { LastStates } from '../../core/protocol/lastStates';
import type { RunEvent } from '../../core/run/events';
import { graphOf, openWebview, sharedBrowser, shotsDir, type WebviewPage } from './harness';

const SHOTS = shotsDir();
const PIPELINE = `pipeline: demo
tasks:
  extract_db:
    run: python extract.py
  clean:
    run: python clean.py
    needs: [extract_db]
  train:
    run: python train.py
    needs: [clean]
  report:
    run: python report.py
    needs: [clean]
`;

/** A long chain: wider than any pane at a readable zoom. */
function chain(n: number): string {
  let text = 'pipeline: long\ntasks:\n';
  for (let i = 0; i < n; i++)
    text += `  step_${i}:\n    run: echo ${i}\n${i ? `    needs: [step_${i - 1}]\n` : ''}`;
  return text;
}

const shared = sharedBrowser();

async function open(
  text: string,
  size = { width: 1280, height: 800 },
  extra: { last?: LastStates; direction?: 'RIGHT' | 'DOWN' } = {},
  state?: unknown,
): Promise<WebviewPage> {
  const w = await openWebview(shared.browser, shared.url, 'dark', size, state);
  await w.send({
    type: 'init',
    version: 1,
    graph: graphOf(text),
    events: [],
    trusted: true,
    ...extra,
  });
  await w.page.waitForSelector('.app[data-layout="final"]');
  await settle(w);
  return w;
}

const settle = (w: WebviewPage) =>
  w.page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(null)))),
  );

const zoomOf = (w: WebviewPage) =>
  w.page.evaluate(() => {
    const t = (document.querySelector('.react-flow__viewport') as HTMLElement).style.transform;
    return Number(/scale\(([\d.]+)\)/.exec(t)?.[1] ?? 'NaN');
  });

const box = async (w: WebviewPage, id: string) => {
  const b = await w.page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox();
  assert.ok(b, id);
  return b;
};

const ev = (e: Partial<RunEvent> & { event: string }): RunEvent =>
  ({ ts: new Date().toISOString(), run: 'r2', ...e }) as RunEvent;

test('a pane taller than wide lays the graph out top-down; a wide one left to right', async () => {
  const tall = await open(PIPELINE, { width: 600, height: 1000 });
  const [a, b] = [await box(tall, 'extract_db'), await box(tall, 'clean')];
  assert.ok(b.y > a.y + a.height, 'clean is below extract_db');
  await tall.page.screenshot({ path: path.join(SHOTS, 'graph-tall.png') });
  await tall.page.close();
  const wide = await open(PIPELINE);
  const [c, d] = [await box(wide, 'extract_db'), await box(wide, 'clean')];
  assert.ok(d.x > c.x + c.width, 'clean is right of extract_db');
  await wide.page.close();
});

test('the direction chosen for a file comes back: from the host, and a choice is sent to it', async () => {
  const w = await open(PIPELINE, { width: 1280, height: 800 }, { direction: 'DOWN' });
  const [a, b] = [await box(w, 'extract_db'), await box(w, 'clean')];
  assert.ok(b.y > a.y + a.height, 'top-down as the host remembered, though the pane is wide');
  await w.page.locator('#direction').click();
  await w.page.locator('vscode-option[value="RIGHT"]').click();
  await w.page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string; direction?: string }[] }).__posted.some(
      (m) => m.type === 'view/direction' && m.direction === 'RIGHT',
    ),
  );
  await w.page.close();
});

test('a long pipeline is not fitted below a readable zoom: its start shows; a resize refits', async () => {
  const w = await open(chain(40), { width: 900, height: 600 });
  const zoom = await zoomOf(w);
  assert.ok(zoom >= 0.69, `zoom ${zoom} is readable`);
  const first = await box(w, 'step_0');
  assert.ok(first.x >= 0 && first.x < 200, `the first task is at the left (${first.x})`);
  await w.page.screenshot({ path: path.join(SHOTS, 'graph-long.png') });
  // A small graph in a pane that shrinks (a terminal opening): refit to the new size.
  const s = await open(PIPELINE, { width: 1280, height: 800 });
  const before = await zoomOf(s);
  await s.page.setViewportSize({ width: 700, height: 500 });
  await s.page.waitForFunction((z) => {
    const t = (document.querySelector('.react-flow__viewport') as HTMLElement).style.transform;
    return Number(/scale\(([\d.]+)\)/.exec(t)?.[1]) < z - 0.01;
  }, before);
  const r = await box(s, 'report');
  assert.ok(r.x + r.width <= 700 && r.y + r.height <= 500, 'the graph fits the smaller pane');
  await w.page.close();
  await s.page.close();
});

test('legend is one toggle, no minimap for a small graph, nothing over the zoom controls', async () => {
  const w = await open(PIPELINE);
  assert.equal(await w.page.locator('.legend-item').count(), 0);
  assert.equal(await w.page.locator('.react-flow__minimap').count(), 0);
  const controls = await w.page.locator('.react-flow__controls').boundingBox();
  await w.page.locator('#legend-toggle').click();
  assert.equal(await w.page.locator('.legend-item').count(), 10);
  const legend = await w.page.locator('.legend').boundingBox();
  assert.ok(controls && legend);
  const overlap =
    controls.x < legend.x + legend.width &&
    legend.x < controls.x + controls.width &&
    controls.y < legend.y + legend.height &&
    legend.y < controls.y + controls.height;
  assert.equal(overlap, false);
  await w.page.close();
});

test('titles keep every character; a failed node has a badge; an error badge shows at any zoom', async () => {
  const w = await open(PIPELINE.replace(/needs: \[clean\]\n$/, 'needs: [ghost]\n'));
  const name = w.page.locator('.react-flow__node[data-id="extract_db"] .task-name');
  assert.equal(await name.textContent(), 'extract_db');
  assert.equal(await name.evaluate((e) => e.scrollHeight <= e.clientHeight + 1), true);
  // The underscore's pixels are inside the name's box (not clipped by it).
  const clip = await name.evaluate((e) => {
    const r = document.createRange();
    r.selectNodeContents(e);
    const text = r.getBoundingClientRect();
    const own = e.getBoundingClientRect();
    return { text: text.bottom, own: own.bottom };
  });
  assert.ok(clip.text <= clip.own + 0.5, JSON.stringify(clip));
  await w.send({
    type: 'run/event',
    event: ev({
      event: 'run_started',
      pipeline: 'demo',
      file: 'p',
      tasks: ['clean'],
      params: {},
      workers: 1,
    }),
  });
  await w.send({
    type: 'run/event',
    event: ev({
      event: 'task_finished',
      task: 'clean',
      attempt: 1,
      status: 'failed',
      exit_code: 1,
      duration_ms: 5,
    }),
  });
  const badge = w.page.locator('.react-flow__node[data-id="clean"] .state-badge');
  await badge.waitFor();
  assert.match((await badge.textContent()) ?? '', /failed/);
  // Zoomed far out (simplified nodes): the failed badge and the error badge remain.
  await w.page.evaluate(() => {
    for (let i = 0; i < 8; i++)
      (document.querySelector('.react-flow__controls-zoomout') as HTMLButtonElement).click();
  });
  await w.page.locator('.task-node.simple').first().waitFor();
  await w.page
    .locator('.react-flow__node[data-id="clean"] .task-node.simple .state-badge')
    .waitFor();
  await w.page
    .locator('.react-flow__node[data-id="report"] .task-node.simple .badge.error')
    .waitFor();
  await w.page.screenshot({ path: path.join(SHOTS, 'graph-zoomed-out.png') });
  await w.page.close();
});

test("nodes show each task's last state from the records until a run or plan says otherwise", async () => {
  const last: LastStates = {
    extract_db: { status: 'success', run: 'r1', attempt: 1, durationMs: 1200 },
    clean: { status: 'failed', run: 'r1', attempt: 2, durationMs: 30, message: 'exit code 1' },
    train: { status: 'upstream_failed', run: 'r1', attempt: 0, message: 'upstream clean failed' },
  };
  const w = await open(PIPELINE, undefined, { last });
  const status = (id: string) =>
    w.page.locator(`.react-flow__node[data-id="${id}"]`).first().getAttribute('data-status');
  assert.equal(await status('extract_db'), 'success');
  assert.equal(await status('clean'), 'failed');
  assert.equal(await status('train'), 'upstream_failed');
  assert.equal(await status('report'), 'pending');
  await w.page.locator('.react-flow__node[data-id="clean"] .state-badge').waitFor();
  // The records changed (a run finished elsewhere): the host sends new last states.
  await w.send({
    type: 'status/last',
    last: { ...last, clean: { status: 'success', run: 'r3', attempt: 1 } },
  });
  await w.page.locator('.react-flow__node[data-id="clean"][data-status="success"]').waitFor();
  await w.page.close();
});

test('plan: a summary that clears; a failed plan is shown', async () => {
  const w = await open(PIPELINE);
  await w.send({
    type: 'plan/result',
    steps: [
      { task: 'extract_db', action: 'skip', reason: 'complete' },
      { task: 'clean', action: 'run', reason: 'input changed' },
      { task: 'train', action: 'run', reason: 'upstream runs' },
      { task: 'report', action: 'run', reason: 'upstream runs' },
    ],
  });
  const summary = w.page.locator('.plan-summary');
  await summary.waitFor();
  assert.match((await summary.textContent()) ?? '', /3 of 4 tasks will run/);
  assert.equal(
    await w.page.locator('.react-flow__node[data-id="clean"]').first().getAttribute('data-status'),
    'will_run',
  );
  await w.page.locator('#plan-clear').click();
  await summary.waitFor({ state: 'detached' });
  await w.page.locator('.react-flow__node[data-id="clean"][data-status="pending"]').waitFor();
  await w.send({
    type: 'plan/error',
    message: 'could not connect to db.example: ${env.PGHOST} is not set',
  });
  const err = w.page.locator('.plan-error');
  await err.waitFor();
  assert.match((await err.textContent()) ?? '', /Plan failed: could not connect/);
  await w.page.screenshot({ path: path.join(SHOTS, 'graph-plan-error.png') });
  await w.page.close();
});

test("the panel's log is replaced when a new run starts and asked again when the task finishes", async () => {
  const w = await open(PIPELINE);
  await w.page.locator('.react-flow__node[data-id="clean"]').click();
  await w.send({
    type: 'task/log',
    task: 'clean',
    lines: ['(run r1)', 'OLD LINE'],
    run: 'r1',
    attempt: 1,
  });
  await w.page.getByText('OLD LINE').waitFor();
  await w.send({
    type: 'run/event',
    event: ev({
      event: 'run_started',
      pipeline: 'demo',
      file: 'p',
      tasks: ['clean'],
      params: {},
      workers: 1,
    }),
  });
  await w.page.getByText('OLD LINE').waitFor({ state: 'detached' });
  const asks = async () =>
    (await w.posted()).filter((m) => m.type === 'task/showLog' && m.task === 'clean').length;
  const before = await asks();
  await w.send({
    type: 'run/event',
    event: ev({
      event: 'task_finished',
      task: 'clean',
      attempt: 1,
      status: 'success',
      exit_code: 0,
      duration_ms: 5,
    }),
  });
  await w.page.waitForFunction(
    (n) =>
      (window as unknown as { __posted: { type: string; task?: string }[] }).__posted.filter(
        (m) => m.type === 'task/showLog' && m.task === 'clean',
      ).length > n,
    before,
  );
  await w.page.close();
});

test("dropping a connection on a node's body connects, not only on its handle", async () => {
  const w = await open(PIPELINE);
  const from = await w.page
    .locator('.react-flow__node[data-id="extract_db"] .react-flow__handle.source')
    .boundingBox();
  const to = await box(w, 'report');
  assert.ok(from);
  await w.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await w.page.mouse.down();
  // The middle of the node's body, far from its 6 px input handle.
  const [x, y] = [to.x + to.width * 0.6, to.y + to.height * 0.5];
  await w.page.mouse.move(x, y, { steps: 12 });
  await w.page.mouse.up();
  await w.page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some(
      (m) => m.type === 'intent',
    ),
  );
  const intents = (await w.posted()).filter((m) => m.type === 'intent');
  assert.deepEqual(intents.at(-1), {
    type: 'intent',
    intent: { kind: 'addDependency', task: 'report', needs: 'extract_db' },
    version: 1,
  });
  await w.page.close();
});

test('hovering a node lights its lineage and dims the rest', async () => {
  const w = await open(PIPELINE);
  await w.page.locator('.react-flow__node[data-id="train"]').hover();
  await w.page.locator('.react-flow__node[data-id="report"].dimmed').waitFor();
  for (const id of ['train', 'clean', 'extract_db'])
    assert.equal(
      await w.page.locator(`.react-flow__node[data-id="${id}"].dimmed`).count(),
      0,
      `${id} is lit`,
    );
  await w.page.mouse.move(2, 300);
  await w.page.locator('.react-flow__node.dimmed').first().waitFor({ state: 'detached' });
  await w.page.close();
});

test('history: the failed task is named in the run list, a time axis, and a past run colours the graph', async () => {
  const w = await open(PIPELINE);
  await w.page.locator('#history').click();
  const t0 = Date.parse('2026-11-20T00:00:00.000Z');
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const task = (name: string, start: number, end: number, status = 'success') => ({
    task: name,
    status,
    attempts: 1,
    queued: at(start),
    started: at(start),
    finished: at(end),
    duration_ms: end - start,
  });
  const failed = {
    id: 'run-2',
    started: at(0),
    status: 'failed',
    duration_ms: 4000,
    trigger: null,
    skipped: 0,
    tasks: [task('extract_db', 0, 1000), task('clean', 1000, 4000, 'failed')],
  };
  const ok = { ...failed, id: 'run-1', status: 'success', tasks: [task('extract_db', 0, 900)] };
  await w.send({ type: 'history/data', runs: [failed, ok] });
  const row = w.page.locator('.history .run[data-run="run-2"]');
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /failed \(clean\)/);
  assert.equal(await w.page.locator('.time-axis .tick').count(), 5);
  assert.equal(await w.page.locator('.time-axis .tick').last().textContent(), '4.00s');
  // Choosing a run colours the graph by it, until "Back to now".
  await row.click();
  await w.page.locator('.react-flow__node[data-id="clean"][data-status="failed"]').waitFor();
  assert.equal(
    await w.page
      .locator('.react-flow__node[data-id="extract_db"]')
      .first()
      .getAttribute('data-status'),
    'success',
  );
  await w.page.locator('.history .run[data-run="run-1"]').click();
  await w.page.locator('.react-flow__node[data-id="clean"][data-status="pending"]').waitFor();
  await w.page.locator('#history-now').click();
  await w.page.locator('.shown-run').waitFor({ state: 'detached' });
  await w.page.close();
});

test('a selected node stays in view when its panel shrinks a narrow pane', async () => {
  const w = await open(chain(8), { width: 600, height: 1000 });
  // Top-down at a readable zoom: the last visible step near the bottom of the pane.
  const ids = await w.page.locator('.react-flow__node').evaluateAll((els) =>
    els
      .map((e) => ({ id: e.getAttribute('data-id') ?? '', b: e.getBoundingClientRect() }))
      .filter((x) => x.b.bottom < window.innerHeight)
      .sort((a, b) => b.b.top - a.b.top)
      .map((x) => x.id),
  );
  const low = ids[0];
  assert.ok(low);
  await w.page.locator(`.react-flow__node[data-id="${low}"]`).click();
  await w.page.locator('.panel').waitFor();
  await settle(w);
  await w.page.waitForTimeout(300);
  const canvas = await w.page.locator('.react-flow').boundingBox();
  const node = await box(w, low);
  assert.ok(canvas);
  assert.ok(
    node.y >= canvas.y && node.y + node.height <= canvas.y + canvas.height,
    `${low} (${node.y}–${node.y + node.height}) is inside the canvas (${canvas.y}–${canvas.y + canvas.height})`,
  );
  await w.page.close();
});

test("history of a partitioned pipeline: the partition filter shows that partition's runs and tasks", async () => {
  const w = await open(PIPELINE);
  await w.page.locator('#history').click();
  const t0 = Date.parse('2026-11-20T00:00:00.000Z');
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  const task = (name: string, partition: string | undefined, start: number, end: number) => ({
    task: name,
    ...(partition ? { partition } : {}),
    status: 'success',
    attempts: 1,
    queued: at(start),
    started: at(start),
    finished: at(end),
    duration_ms: end - start,
  });
  const run = (id: string, partitions: string[], tasks: ReturnType<typeof task>[]) => ({
    id,
    started: at(0),
    status: 'success',
    duration_ms: 3000,
    trigger: null,
    partitions,
    skipped: 0,
    tasks,
  });
  const backfill = run(
    'run-b',
    ['2024-01-01', '2024-01-02'],
    [
      task('extract_db', '2024-01-01', 0, 500),
      task('extract_db', '2024-01-02', 500, 1000),
      task('train', undefined, 1000, 3000),
    ],
  );
  const daily = run('run-d', ['2024-01-03'], [task('extract_db', '2024-01-03', 0, 700)]);
  await w.send({ type: 'history/data', runs: [daily, backfill] });
  await w.page.locator('.history .run[data-run="run-d"]').waitFor();
  const filter = w.page.locator('.history-partition');
  assert.deepEqual(await filter.locator('option').allTextContents(), [
    'All partitions',
    '2024-01-03',
    '2024-01-02',
    '2024-01-01',
  ]);
  await filter.selectOption('2024-01-02');
  await w.page.locator('.history .run[data-run="run-d"]').waitFor({ state: 'detached' });
  assert.equal(await w.page.locator('.history .run').count(), 1);
  // The Gantt of the backfill shows only that day's instance and the task over all days.
  assert.deepEqual(
    await w.page
      .locator('.gantt .bar-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-task'))),
    ['extract_db', 'train'],
  );
  await w.page.screenshot({ path: path.join(SHOTS, 'history-partition.png') });
  await filter.selectOption('');
  await w.page.locator('.history .run[data-run="run-d"]').waitFor();
  await w.page.close();
});
