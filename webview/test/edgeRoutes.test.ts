/**
 * Edges drawn along elkjs's routes, in Chromium with the real bundle: a skip edge (t0 → t2 beside
 * t0 → t1 → t2) goes around t1 instead of behind it, top-down and left → right; a needs edge is
 * still picked and deleted, a data edge still labelled; a dragged task's edges fall back to curves.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../core/run/events';
import { graphOf, openWebview, sharedBrowser, shotsDir, type WebviewPage } from './harness';

const SHOTS = shotsDir();
const PIPELINE = `pipeline: skip
tasks:
  t0:
    run: echo 0
    outputs: [data/a.csv]
  t1:
    run: echo 1
    needs: [t0]
  t2:
    run: echo 2
    needs: [t1, t0]
  t3:
    run: echo 3
    inputs: [data/a.csv]
`;

const shared = sharedBrowser();

async function open(direction: 'RIGHT' | 'DOWN'): Promise<WebviewPage> {
  const w = await openWebview(
    shared.browser,
    shared.url,
    'dark',
    { width: 1100, height: 760 },
    {
      direction,
      selected: null,
    },
  );
  await w.send({ type: 'init', version: 1, graph: graphOf(PIPELINE), events: [], trusted: true });
  await w.page.waitForSelector('.app[data-layout="final"]');
  // Edges are drawn after the nodes (under load, later than any fixed wait).
  await w.page.waitForFunction(() => {
    const paths = [...document.querySelectorAll<SVGPathElement>('.react-flow__edge-path')];
    return paths.length === 4 && paths.every((p) => p.getTotalLength() > 0);
  });
  return w;
}

const SKIP = '.react-flow__edge[aria-label="Edge from t0 to t2"]';
type Box = { x: number; y: number; width: number; height: number };

/** Points along the t0 → t2 edge and t1's box, in page pixels. */
async function skipAndT1(
  w: WebviewPage,
): Promise<{ d: string; points: { x: number; y: number }[]; t1: Box }> {
  return w.page.evaluate((sel) => {
    const p = document.querySelector<SVGPathElement>(`${sel} path.react-flow__edge-path`)!;
    const m = p.getScreenCTM()!;
    const n = p.getTotalLength();
    const points: { x: number; y: number }[] = [];
    for (let i = 0; i <= 200; i++) {
      const q = p.getPointAtLength((i / 200) * n).matrixTransform(m);
      points.push({ x: q.x, y: q.y });
    }
    const t1 = document.querySelector('.react-flow__node[data-id="t1"]')!.getBoundingClientRect();
    return { d: p.getAttribute('d') ?? '', points, t1: t1.toJSON() as Box };
  }, SKIP);
}

const inside = (p: { x: number; y: number }, b: Box) =>
  p.x > b.x + 1 && p.x < b.x + b.width - 1 && p.y > b.y + 1 && p.y < b.y + b.height - 1;

for (const direction of ['DOWN', 'RIGHT'] as const) {
  test(`${direction === 'RIGHT' ? 'left → right' : 'top-down'}: the skip edge t0 → t2 goes around t1, not behind it`, async () => {
    const w = await open(direction);
    const { points, t1 } = await skipAndT1(w);
    const behind = points.filter((p) => inside(p, t1));
    await w.page.screenshot({ path: path.join(SHOTS, `skip-edge-${direction}.png`) });
    assert.equal(
      behind.length,
      0,
      `the edge t0 → t2 runs behind t1 at ${JSON.stringify(behind[0])}`,
    );
    // The data edge keeps its label (the file's name).
    assert.equal(
      await w.page
        .locator('.react-flow__edge[aria-label="Edge from t0 to t3"] .react-flow__edge-text')
        .textContent(),
      'a.csv',
    );
    assert.equal(await w.page.locator('.react-flow__edge.edge-data').count(), 1);
    assert.equal(await w.page.locator('.react-flow__edge.edge-needs').count(), 3);
    await w.page.close();
  });
}

test('the routed skip edge is picked with a click on it, and Delete removes that dependency', async () => {
  const w = await open('DOWN');
  const { points } = await skipAndT1(w);
  // Its middle, on the route (a straight line between the tasks would be behind t1).
  const mid = points[100]!;
  await w.page.mouse.click(mid.x, mid.y);
  await w.page.locator(`${SKIP}.selected`).waitFor({ state: 'attached' });
  await w.page.keyboard.press('Delete');
  const intents = (await w.posted()).filter((m) => m.type === 'intent').map((m) => m.intent);
  assert.deepEqual(intents, [{ kind: 'removeDependency', task: 't2', needs: 't0' }]);
  await w.page.close();
});

test('a task dragged away: its edges are drawn as curves between the handles (the route is stale)', async () => {
  const w = await open('DOWN');
  const before = (await skipAndT1(w)).d;
  assert.doesNotMatch(before, /C/, 'the layout route, not a bezier curve');
  const node = w.page.locator('.react-flow__node[data-id="t2"]');
  const box = (await node.boundingBox())!;
  await w.page.mouse.move(box.x + 30, box.y + 12);
  await w.page.mouse.down();
  await w.page.mouse.move(box.x + 330, box.y + 60, { steps: 12 });
  await w.page.mouse.up();
  await w.page.waitForFunction(
    (sel) =>
      /C/.test(
        document.querySelector(`${sel} path.react-flow__edge-path`)?.getAttribute('d') ?? '',
      ),
    SKIP,
  );
  await w.page.screenshot({ path: path.join(SHOTS, 'skip-edge-dragged.png') });
  await w.page.close();
});

test('a running task: its routed edges take the running style and keep their route', async () => {
  const w = await open('DOWN');
  const ev = (e: Partial<RunEvent> & { event: string }): RunEvent =>
    ({ ts: new Date().toISOString(), run: 'r1', ...e }) as RunEvent;
  await w.send({
    type: 'run/event',
    event: ev({
      event: 'run_started',
      pipeline: 'skip',
      file: 'p',
      tasks: ['t0', 't1', 't2', 't3'],
      params: {},
      workers: 2,
    }),
  });
  await w.send({ type: 'run/event', event: ev({ event: 'task_started', task: 't2', attempt: 1 }) });
  await w.page.locator(`${SKIP}.animated`).waitFor({ state: 'attached' });
  const { d, points, t1 } = await skipAndT1(w);
  assert.doesNotMatch(d, /C/, 'still the layout route');
  assert.equal(points.filter((p) => inside(p, t1)).length, 0);
  assert.equal(
    await w.page.locator('.react-flow__edge.animated[aria-label="Edge from t1 to t2"]').count(),
    1,
  );
  await w.page.close();
});
