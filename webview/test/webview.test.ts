/** The graph editor in a real Chromium: rendering, layout, intents, status, diagnostics, search, keyboard. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../core/run/events';
import { graphOf, openWebview, sharedBrowser, shotsDir } from './harness';

const PIPELINE = `pipeline: demo
sources: [incoming/]
tasks:
  extract:
    run: python extract.py
    inputs: [incoming/]
    outputs: [data/raw.csv]
  clean:
    run: python clean.py
    inputs: [data/raw.csv]
    outputs: [data/clean.csv]
  train:
    run: python train.py
    needs: [clean]
  report:
    run: python report.py
    needs: [clean, ghost]
`;

/** Screenshots for the README land here (docs/ only from `npm run screenshots`). */
const DOCS = shotsDir();

const shared = sharedBrowser();

async function ready(theme: 'dark' | 'light' = 'dark') {
  const w = await openWebview(shared.browser, shared.url, theme);
  await w.send({ type: 'init', version: 1, graph: graphOf(PIPELINE), events: [], trusted: true });
  await w.page.locator('.react-flow__node[data-id="report"]').waitFor();
  // The tidier layout (and its refit) has landed: nothing moves after this.
  await w.page.waitForSelector('.app[data-layout="final"]');
  await w.page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
  );
  return w;
}

const ev = (e: Partial<RunEvent> & { event: string }): RunEvent =>
  ({ ts: new Date().toISOString(), run: 'r1', ...e }) as RunEvent;

/** The host's message that a run of these tasks started. */
const runStarted = (tasks: string[]) =>
  ({
    type: 'run/event',
    event: ev({ event: 'run_started', pipeline: 'demo', file: 'p', tasks, params: {}, workers: 2 }),
  }) as const;

test('renders every task and source from init, laid out without overlaps', async () => {
  const w = await ready();
  const ids = await w.page
    .locator('.react-flow__node')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
  assert.deepEqual(ids.sort(), ['clean', 'extract', 'report', 'source:incoming', 'train']);
  const boxes = await w.page
    .locator('.react-flow__node')
    .evaluateAll((els) =>
      els
        .map((e) => e.getBoundingClientRect())
        .map((r) => ({ x: r.x, y: r.y, w: r.width, h: r.height })),
    );
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      assert.equal(overlap, false, `nodes ${i} and ${j} overlap`);
    }
  // Data edges are dashed, needs edges are not.
  assert.equal(await w.page.locator('.react-flow__edge.edge-data').count(), 1);
  assert.equal(await w.page.locator('.react-flow__edge.edge-needs').count(), 2);
  assert.equal(
    await w.page.locator('[data-id="train"]').first().getAttribute('data-status'),
    'pending',
  );
  await w.page.close();
});

test('diagnostics show on their node', async () => {
  const w = await ready();
  const badge = w.page.locator('.react-flow__node[data-id="report"] .badge.error');
  assert.equal(await badge.textContent(), '1');
  assert.match(
    (await w.page
      .locator('.react-flow__node[data-id="report"] .task-node')
      .getAttribute('title')) ?? '',
    /unknown task 'ghost'/,
  );
  assert.equal(await w.page.locator('.react-flow__node[data-id="train"] .badge').count(), 0);
  await w.page.close();
});

test('a status event repaints the node; the run buttons post run intents', async () => {
  const w = await ready();
  await w.send(runStarted(['extract', 'clean', 'train', 'report']));
  await w.send({
    type: 'run/event',
    event: ev({ event: 'task_started', task: 'extract', attempt: 1 }),
  });
  await w.page.locator('.react-flow__node[data-id="extract"][data-status="running"]').waitFor();
  await w.send({
    type: 'run/event',
    event: ev({
      event: 'task_finished',
      task: 'extract',
      attempt: 1,
      status: 'success',
      exit_code: 0,
      duration_ms: 1500,
    }),
  });
  await w.page.locator('.react-flow__node[data-id="extract"][data-status="success"]').waitFor();
  assert.match(
    (await w.page.locator('.react-flow__node[data-id="extract"] .task-meta').textContent()) ?? '',
    /1\.50s/,
  );
  await w.send({
    type: 'run/event',
    event: ev({
      event: 'task_finished',
      task: 'clean',
      attempt: 2,
      status: 'failed',
      exit_code: 1,
      duration_ms: 20,
      message: 'exit code 1',
    }),
  });
  await w.send({
    type: 'run/event',
    event: ev({
      event: 'task_skipped',
      task: 'train',
      status: 'upstream_failed',
      reason: 'upstream clean failed',
    }),
  });
  await w.page.locator('[data-id="train"][data-status="upstream_failed"]').first().waitFor();
  await w.page.locator('.react-flow__node[data-id="clean"] [data-action="rerun"]').click();
  const posted = await w.posted();
  assert.deepEqual(
    posted.filter((m) => m.type === 'run/task'),
    [{ type: 'run/task', task: 'clean', mode: 'rerun' }],
  );
  // Clicking a failed node asks for its log; the log is shown in the panel.
  await w.page.locator('.react-flow__node[data-id="clean"]').click();
  assert.ok((await w.posted()).some((m) => m.type === 'task/showLog' && m.task === 'clean'));
  await w.send({
    type: 'task/log',
    task: 'clean',
    lines: ['Traceback (most recent call last):', 'ValueError: bad row 7'],
  });
  await w.page.getByText('ValueError: bad row 7').waitFor();
  await w.page.close();
});

test('connecting two handles posts addDependency; deleting posts removeTask after confirmation', async () => {
  const w = await ready();
  const from = w.page.locator('.react-flow__node[data-id="extract"] .react-flow__handle.source');
  const to = w.page.locator('.react-flow__node[data-id="train"] .react-flow__handle.target');
  await from.dragTo(to);
  await w.page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some(
      (m) => m.type === 'intent',
    ),
  );
  const intents = (await w.posted()).filter((m) => m.type === 'intent');
  assert.deepEqual(intents.at(-1), {
    type: 'intent',
    intent: { kind: 'addDependency', task: 'train', needs: 'extract' },
    version: 1,
  });

  await w.page.locator('.react-flow__node[data-id="report"]').click();
  await w.page.locator('.react-flow__node[data-id="report"]').press('Delete');
  await w.page.locator('#confirm-delete').click();
  const last = (await w.posted()).filter((m) => m.type === 'intent').at(-1);
  assert.deepEqual(last, {
    type: 'intent',
    intent: { kind: 'removeTask', name: 'report' },
    version: 1,
  });
  await w.page.close();
});

test('graph updates redraw without moving what did not change structurally', async () => {
  const w = await ready();
  const before = await w.page.locator('.react-flow__node[data-id="clean"]').boundingBox();
  await w.send({
    type: 'graph/update',
    version: 2,
    graph: graphOf(PIPELINE.replace('python clean.py', 'python clean.py --fast')),
  });
  await w.page.getByText('python clean.py --fast').waitFor();
  assert.deepEqual(
    await w.page.locator('.react-flow__node[data-id="clean"]').boundingBox(),
    before,
  );
  await w.send({
    type: 'graph/update',
    version: 3,
    graph: graphOf(PIPELINE + '  deploy:\n    run: ./deploy.sh\n    needs: [train]\n'),
  });
  await w.page.locator('.react-flow__node[data-id="deploy"]').waitFor();
  await w.page.close();
});

test('search jumps to a task; keyboard: arrows move the selection, Enter opens the YAML', async () => {
  const w = await ready();
  await w.page.locator('#search input, #search').first().click();
  await w.page.keyboard.type('trai');
  await w.page.keyboard.press('Enter');
  await w.page.locator('.react-flow__node[data-id="train"] .task-node.selected').waitFor();
  await w.page
    .locator('.react-flow__pane')
    .click({ position: { x: 5, y: 5 } })
    .catch(() => {});
  await w.page.locator('.react-flow__node[data-id="extract"]').click();
  await w.page.locator('.react-flow__node[data-id="extract"]').press('ArrowRight');
  await w.page.locator('.react-flow__node[data-id="clean"] .task-node.selected').waitFor();
  await w.page.keyboard.press('Enter');
  assert.ok((await w.posted()).some((m) => m.type === 'task/reveal' && m.task === 'clean'));
  await w.page.close();
});

test('the node menu posts run up to here, run with downstream, show log and go to YAML', async () => {
  const w = await ready();
  const menu = w.page.locator('.react-flow__node[data-id="clean"] [data-action="menu"]');
  const choose = async (item: string) => {
    await menu.click();
    await w.page
      .locator(`.react-flow__node[data-id="clean"] .node-menu [data-menu="${item}"]`)
      .click();
    assert.equal(await w.page.locator('.node-menu').count(), 0, 'the menu closes');
  };
  await choose('upstream');
  await choose('downstream');
  await choose('log');
  await choose('yaml');
  const posted = (await w.posted()).filter(
    (m) => m.type.startsWith('run/') || m.type.startsWith('task/'),
  );
  assert.deepEqual(posted, [
    { type: 'run/task', task: 'clean', mode: 'upstream' },
    { type: 'run/task', task: 'clean', mode: 'downstream' },
    { type: 'task/showLog', task: 'clean' },
    { type: 'task/reveal', task: 'clean' },
  ]);
  await w.page.close();
});

test('metrics a task reported show on its node and in the properties panel', async () => {
  const w = await ready();
  await w.send(runStarted(['clean']));
  await w.send({
    type: 'run/event',
    event: ev({
      event: 'task_finished',
      task: 'clean',
      attempt: 1,
      status: 'success',
      exit_code: 0,
      duration_ms: 900,
      metrics: { accuracy: 0.93127, rows: 1461, model: 'forest', extra: 1 },
    }),
  });
  const line = w.page.locator('.react-flow__node[data-id="clean"] .task-metrics');
  await line.waitFor();
  assert.equal(await line.textContent(), 'accuracy 0.931 · rows 1,461 · model forest');
  await w.page.locator('.react-flow__node[data-id="clean"]').click();
  assert.equal(await w.page.locator('table.metrics tr').count(), 4);
  await w.page.close();
});

test('history: asks the host, lists runs, draws the timeline with the slowest task marked and trends', async () => {
  const w = await ready();
  await w.page.locator('#history').click();
  await w.page.waitForFunction(() =>
    (window as unknown as { __posted: { type: string }[] }).__posted.some(
      (m) => m.type === 'history/request',
    ),
  );
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
  const newer = {
    id: 'run-2',
    started: at(0),
    status: 'failed',
    duration_ms: 10_000,
    trigger: 'incoming/a.csv',
    skipped: 1,
    tasks: [
      task('extract', 0, 1000),
      task('clean', 1000, 9000),
      task('report', 9000, 10_000, 'failed'),
    ],
  };
  const older = { ...newer, id: 'run-1', status: 'success', tasks: [task('extract', 0, 3000)] };
  await w.send({ type: 'history/data', runs: [newer, older] });
  await w.page.locator('.history .run[data-run="run-1"]').waitFor();
  assert.equal(await w.page.locator('.history .run').count(), 2);
  assert.equal(await w.page.locator('.gantt').getAttribute('data-run'), 'run-2');
  const clean = w.page.locator('.bar-row[data-task="clean"] .bar');
  const style = (await clean.getAttribute('style')) ?? '';
  assert.match(style, /left: 10%/);
  assert.match(style, /width: 80%/);
  assert.equal(await w.page.locator('.bar-row[data-task="report"] .bar.status-failed').count(), 1);
  // The three slowest of three tasks are all marked; with the default of 3, check the order of time.
  assert.equal(await w.page.locator('.bar-row.slow').count(), 3);
  // extract ran in both runs: a trend line; the others ran once: none.
  assert.equal(await w.page.locator('.bar-row[data-task="extract"] .trend polyline').count(), 1);
  assert.equal(await w.page.locator('.bar-row[data-task="clean"] .trend polyline').count(), 0);
  await w.page.screenshot({ path: path.join(DOCS, 'graph-history.png') });
  await w.page.locator('.history .run[data-run="run-1"]').click();
  assert.equal(await w.page.locator('.gantt').getAttribute('data-run'), 'run-1');
  assert.equal(await w.page.locator('.bar-row').count(), 1);
  await w.page.close();
});

test('a large pipeline opens as a canvas overview; a plan repaints it; a click on a box opens that task', async () => {
  const n = 400;
  let text = 'pipeline: big\ntasks:\n';
  for (let i = 0; i < n; i++)
    text += `  t${i}:\n    run: step ${i}\n${i ? `    needs: [t${Math.floor((i - 1) / 2)}]\n` : ''}`;
  const g = graphOf(text);
  const w = await openWebview(shared.browser, shared.url, 'dark', { width: 1280, height: 800 });
  await w.send({ type: 'init', version: 1, graph: g, events: [], trusted: true });
  await w.page.waitForSelector('.app[data-layout="final"]');
  const canvas = w.page.locator('canvas.overview');
  await w.page.waitForFunction(
    (count) =>
      document.querySelector('canvas.overview')?.getAttribute('data-statuses') ===
      `pending:${count}`,
    n,
  );
  // No DOM node at all while zoomed out: that is the point.
  assert.equal(await w.page.locator('.react-flow__node').count(), 0);
  assert.equal(await w.page.locator('.canvas-minimap canvas').count(), 1);
  await w.send({
    type: 'plan/result',
    steps: g.nodes.map((x) => ({ task: x.id, action: 'run' as const, reason: 'test' })),
  });
  await w.page.waitForFunction(
    (count) =>
      document.querySelector('canvas.overview')?.getAttribute('data-statuses') ===
      `will_run:${count}`,
    n,
  );
  await w.page.screenshot({ path: path.join(DOCS, 'graph-overview.png') });
  // The leftmost box drawn in the will-run colour is t0, the root of the layered layout.
  const box = await canvas.boundingBox();
  assert.ok(box);
  const spot = await w.page.evaluate(() => {
    const c = document.querySelector('canvas.overview') as HTMLCanvasElement;
    const probe = document.createElement('span');
    probe.className = 'status-will_run';
    document.body.appendChild(probe);
    const hex = getComputedStyle(probe).getPropertyValue('--status').trim();
    const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    for (let x = 0; x < c.width; x++)
      for (let y = 0; y < c.height; y++) {
        const i = (y * c.width + x) * 4;
        if (want.every((v, k) => Math.abs((data[i + k] ?? 0) - v) < 8))
          return { x: (x + 2) / devicePixelRatio, y: (y + 2) / devicePixelRatio };
      }
    return null;
  });
  assert.ok(spot, 'the overview draws boxes in the will-run colour');
  await w.page.mouse.click(box.x + spot.x, box.y + spot.y);
  const clicked = (await w.posted()).some((m) => m.type === 'selection/changed' && m.task === 't0');
  assert.ok(clicked, 'a click on a box selects its task');
  await w.page.locator('.react-flow__node[data-id="t0"][data-status="will_run"]').waitFor();
  assert.equal(await w.page.locator('canvas.overview').count(), 0);
  await w.page.close();
});

test('screenshots for the README, light and dark', async () => {
  const out = DOCS;
  for (const theme of ['light', 'dark'] as const) {
    const w = await ready(theme);
    await w.send(runStarted(['extract', 'clean', 'train', 'report']));
    await w.send({
      type: 'run/event',
      event: ev({
        event: 'task_finished',
        task: 'extract',
        attempt: 1,
        status: 'success',
        exit_code: 0,
        duration_ms: 900,
      }),
    });
    await w.send({
      type: 'run/event',
      event: ev({ event: 'task_started', task: 'clean', attempt: 1 }),
    });
    await w.page.locator('[data-id="clean"][data-status="running"]').first().waitFor();
    const file = path.join(out, `graph-${theme}.png`);
    await w.page.screenshot({ path: file });
    assert.ok(fs.statSync(file).size > 10_000);
    await w.page.close();
  }
});
