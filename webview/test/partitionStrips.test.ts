/**
 * Where partition strips sit and where they show, in a real Chromium with the real bundle: never
 * over a handle or an edge's end (left → right and top-down), drawn only once on screen, and
 * condensed on the zoomed-out canvas overview of a large graph.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { PartitionStrips } from '../../core/protocol/webview';
import { graphOf, openWebview, sharedBrowser, shotsDir } from './harness';

const SHOTS = shotsDir();
const PIPELINE = `pipeline: daily
partitions:
  daily: { start: "2024-01-01", timezone: UTC }
tasks:
  extract:
    run: python extract.py --day \${partition}
    outputs: ["data/raw/\${partition}.csv"]
  validate:
    run: python validate.py --day \${partition}
    needs: [extract]
    outputs: ["data/valid/\${partition}.csv"]
  features:
    run: python features.py --day \${partition}
    needs: [validate]
  report:
    run: python report.py --day \${partition}
    needs: [validate]
  train:
    run: python train.py
    needs: [features]
`;

const days = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
  );
const KEYS = days(30);
const STATES = 'c'.repeat(10) + 'f' + 's'.repeat(4) + '.'.repeat(15);
const STRIPS: PartitionStrips = {
  keys: KEYS,
  tasks: { extract: STATES, validate: STATES, features: STATES, report: 'c'.repeat(30) },
};

const shared = sharedBrowser();

async function open(text: string, strips: PartitionStrips, state: unknown, size?: object) {
  const w = await openWebview(
    shared.browser,
    shared.url,
    'dark',
    (size as { width: number; height: number }) ?? { width: 1100, height: 760 },
    state,
  );
  await w.send({ type: 'init', version: 1, graph: graphOf(text), events: [], trusted: true });
  await w.send({ type: 'partitions/status', strips });
  await w.page.waitForSelector('.app[data-layout="final"]');
  return w;
}

type Box = { x: number; y: number; width: number; height: number };
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

for (const direction of ['RIGHT', 'DOWN'] as const) {
  test(`${direction === 'RIGHT' ? 'left → right' : 'top-down'}: no strip covers a handle or an edge`, async () => {
    const w = await open(PIPELINE, STRIPS, { direction, selected: null });
    await w.page.waitForFunction(() => {
      const s = [...document.querySelectorAll<HTMLElement>('.partition-strip')];
      return s.length === 4 && s.every((x) => x.dataset.drawn === x.dataset.version);
    });
    // Edges are drawn after the nodes (under load, later than any fixed wait).
    await w.page.waitForFunction(() => {
      const paths = [...document.querySelectorAll<SVGPathElement>('.react-flow__edge-path')];
      return paths.length > 0 && paths.every((p) => p.getTotalLength() > 0);
    });
    await w.page.waitForTimeout(400);
    const geometry = await w.page.evaluate(() => {
      // No named helpers in here: the page has no tsx runtime.
      const [strips = [], handles = []] = ['.partition-strip', '.react-flow__handle'].map((q) =>
        [...document.querySelectorAll(q)].map((e) => e.getBoundingClientRect().toJSON() as Box),
      );
      // Points along every edge, in page pixels.
      const points: { x: number; y: number }[] = [];
      for (const p of document.querySelectorAll<SVGPathElement>('.react-flow__edge-path')) {
        const m = p.getScreenCTM()!;
        const n = p.getTotalLength();
        for (let i = 0; i <= 40; i++) {
          const q = p.getPointAtLength((i / 40) * n).matrixTransform(m);
          points.push({ x: q.x, y: q.y });
        }
      }
      return { strips, handles, points };
    });
    assert.equal(geometry.strips.length, 4);
    assert.equal(geometry.handles.length, 10, 'two handles per task');
    assert.ok(geometry.points.length > 0);
    for (const s of geometry.strips) {
      for (const h of geometry.handles) assert.ok(!overlap(s, h), `a strip covers a handle`);
      for (const p of geometry.points)
        assert.ok(
          !(p.x > s.x && p.x < s.x + s.width && p.y > s.y && p.y < s.y + s.height),
          `an edge runs under a strip at ${p.x},${p.y}`,
        );
    }
    // And a strip never reaches into the next node.
    const nodes = await w.page
      .locator('.react-flow__node')
      .evaluateAll((ns) => ns.map((n) => n.getBoundingClientRect().toJSON() as Box));
    for (const s of geometry.strips)
      assert.equal(nodes.filter((n) => overlap(s, n)).length, 0, 'a strip overlaps a node');
    await w.page.screenshot({
      path: path.join(SHOTS, `partition-strips-${direction === 'RIGHT' ? 'lr' : 'tb'}.png`),
    });
    await w.page.close();
  });
}

test('a large graph zoomed out: the overview canvas draws each partitioned node a condensed strip', async () => {
  const n = 320;
  let text = 'pipeline: big\ntasks:\n';
  for (let i = 0; i < n; i++)
    text += `  t${i}:\n    run: step ${i}\n${i ? `    needs: [t${Math.floor((i - 1) / 2)}]\n` : ''}`;
  // Every 4th task partitioned; only t8's day 5 failed. Nodes show the latest day (complete).
  const tasks: Record<string, string> = {};
  for (let i = 0; i < n; i += 4) tasks[`t${i}`] = 'c'.repeat(30);
  tasks.t8 = 'c'.repeat(5) + 'f'.repeat(6) + 'c'.repeat(19);
  const w = await open(
    text,
    { keys: KEYS, tasks },
    { direction: 'RIGHT', selected: null },
    {
      width: 1280,
      height: 800,
    },
  );
  const columns = await w.page.waitForFunction(() =>
    document.querySelector('canvas.overview')?.getAttribute('data-strip-columns'),
  );
  // A few columns per strip at this zoom (30 partitions condensed); t8's failed days among them.
  const counts = /^complete:(\d+),failed:(\d+)$/.exec(String(await columns.jsonValue()));
  assert.ok(counts, String(await columns.jsonValue()));
  const perStrip = (Number(counts[1]) + Number(counts[2])) / 80;
  assert.ok(Number.isInteger(perStrip) && perStrip >= 1, 'every partitioned node has a strip');
  assert.ok(Number(counts[2]) >= 1 && Number(counts[2]) < perStrip, 'failed: part of one strip');
  assert.equal(await w.page.locator('.react-flow__node').count(), 0, 'no DOM node: the canvas');
  // The failed colour is on the canvas though no node is failed: it is t8's strip.
  const red = await w.page.evaluate(() => {
    const c = document.querySelector('canvas.overview') as HTMLCanvasElement;
    const probe = document.createElement('span');
    probe.className = 'status-failed';
    document.body.appendChild(probe);
    const hex = getComputedStyle(probe).getPropertyValue('--status').trim();
    const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let found = 0;
    for (let i = 0; i < data.length; i += 4)
      if (want.every((v, k) => Math.abs((data[i + k] ?? 0) - v) < 6)) found++;
    return found;
  });
  await w.page.screenshot({ path: path.join(SHOTS, 'partition-strips-overview.png') });
  assert.ok(red > 0, 'the failed partition is drawn on the overview');
  // Live events repaint it: t8's failed days succeed, no failed column is left.
  for (let day = 5; day <= 10; day++)
    await w.send({
      type: 'run/event',
      event: {
        ts: new Date().toISOString(),
        run: 'r',
        event: 'task_finished',
        task: 't8',
        partition: KEYS[day],
        attempt: 1,
        status: 'success',
        exit_code: 0,
        duration_ms: 1,
      },
    });
  await w.page.waitForFunction(
    () =>
      !document
        .querySelector('canvas.overview')
        ?.getAttribute('data-strip-columns')
        ?.includes('failed'),
  );
  await w.page.close();
});

test('strips are drawn only once on screen: a 600-task graph at 100% draws the few in view', async () => {
  const n = 600;
  let text = 'pipeline: big\ntasks:\n';
  for (let i = 0; i < n; i++)
    text += `  t${i}:\n    run: step ${i}\n${i ? `    needs: [t${Math.floor((i - 1) / 2)}]\n` : ''}`;
  const tasks: Record<string, string> = {};
  for (let i = 0; i < n; i++) tasks[`t${i}`] = 'c'.repeat(29) + 'f';
  const w = await open(text, { keys: KEYS, tasks }, { direction: 'RIGHT', selected: null });
  // The host moves the view to a task (as when the cursor enters it in the text).
  await w.send({ type: 'selection/set', task: 't0' });
  await w.page.waitForSelector('.react-flow__node[data-id="t0"]');
  await w.page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLElement>('.partition-strip')].some((s) => s.dataset.drawn),
  );
  await w.page.waitForTimeout(500);
  const { mounted, drawn, offscreenDrawn } = await w.page.evaluate(() => {
    const s = [...document.querySelectorAll<HTMLElement>('.partition-strip')];
    const off = s.filter((x) => {
      const r = x.getBoundingClientRect();
      return (
        r.top > innerHeight + 64 || r.left > innerWidth + 64 || r.bottom < -64 || r.right < -64
      );
    });
    return {
      mounted: s.length,
      drawn: s.filter((x) => x.dataset.drawn).length,
      offscreenDrawn: off.filter((x) => x.dataset.drawn).length,
    };
  });
  assert.ok(drawn > 0 && drawn < 100, `a few strips drawn (${drawn} of ${mounted} mounted)`);
  assert.equal(offscreenDrawn, 0, 'no strip off screen is drawn');
  await w.page.close();
});
