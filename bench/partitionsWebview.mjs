/* global window, document, requestAnimationFrame */
// Benchmark: the graph webview with partition strips, 1,000 partitions per node, beside the same
// graph without partitions in the same run (today's 1,000-node figures). Measures init → painted
// (strips drawn), a status change of every node → next paint (without partitions: a plan marking
// every task; with: new strips where every partition changed), one live run event → that strip
// redrawn, and frame times while panning at 100% zoom (strips on screen).
// Run: node scripts/build.mjs && node --import tsx bench/partitionsWebview.mjs
import { toGraphModel } from '../core/protocol/graphModel.ts';
import { validate } from '../core/validate/validate.ts';
import { launch, openWebview, serve } from '../webview/test/harness.ts';
import { pipelineYaml, shape } from './generate.mjs';

const TASKS = Number(process.env.TASKS ?? 1000);
const PARTS = Number(process.env.PARTITIONS ?? 1000);
const REPEAT = Number(process.env.REPEAT ?? 3);

const keys = Array.from({ length: PARTS }, (_, i) =>
  new Date(Date.UTC(2022, 0, 1 + i)).toISOString().slice(0, 10),
);
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))] : NaN;
};
const median = (xs) => pct(xs, 0.5);

async function post(w, message) {
  await w.page.evaluate((m) => {
    window.__staged = m;
  }, message);
  return w.page.evaluate(() => {
    const t = performance.now();
    window.postMessage(window.__staged, '*');
    return t;
  });
}
/** Several messages staged first, then posted back to back (as the host sends init and strips). */
async function postAll(w, messages) {
  await w.page.evaluate((m) => {
    window.__stagedAll = m;
  }, messages);
  return w.page.evaluate(() => {
    const t = performance.now();
    for (const m of window.__stagedAll) window.postMessage(m, '*');
    return t;
  });
}
const nextPaint = (w) =>
  w.page.evaluate(
    () =>
      new Promise((r) =>
        requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))),
      ),
  );

async function panFrames(page, ms = 2000) {
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (window.__recording) requestAnimationFrame(tick);
    };
    window.__recording = true;
    requestAnimationFrame(tick);
  });
  const box = await page.locator('.react-flow__pane').boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let i = 0; i < 60; i++) {
    await page.mouse.move(
      cx + 200 * Math.sin((i / 60) * Math.PI * 2),
      cy + 120 * Math.cos((i / 60) * Math.PI * 2),
    );
    await page.waitForTimeout(ms / 60);
  }
  await page.mouse.up();
  return page.evaluate(() => {
    window.__recording = false;
    return window.__frames.slice(2);
  });
}

/** One measurement of one variant: partitioned (strips for every task) or not. */
async function measure(browser, url, g, partitioned) {
  const tasks = g.nodes.filter((x) => x.kind === 'task').map((x) => x.id);
  const strips = (ch) => ({
    keys,
    tasks: Object.fromEntries(tasks.map((t) => [t, ch.repeat(PARTS)])),
  });
  const w = await openWebview(
    browser,
    url,
    'dark',
    { width: 1400, height: 900 },
    { direction: 'RIGHT', selected: null, viewport: { x: 40, y: 40, zoom: 1 } },
  );
  await w.page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
  // Every strip on screen drawn at its current version (strips are drawn when on screen).
  await w.page.evaluate(() => {
    window.__stripsDrawn = (summary) => {
      const on = [...document.querySelectorAll('.partition-strip')].filter((s) => {
        const r = s.getBoundingClientRect();
        return (
          r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth
        );
      });
      return (
        on.length > 0 &&
        on.every(
          (s) =>
            s.dataset.drawn === s.dataset.version &&
            (summary === undefined || s.dataset.summary === summary),
        )
      );
    };
  });
  // What the host sends on open: init, then (partitioned) the strips.
  const t0 = await postAll(w, [
    { type: 'init', version: 1, graph: g, events: [], trusted: true },
    ...(partitioned ? [{ type: 'partitions/status', strips: strips('c') }] : []),
  ]);
  // Partitioned: painted once every strip on screen has its picture (not only its element).
  await w.page.waitForFunction(
    (p) =>
      document.querySelectorAll('.react-flow__node').length > 0 && (!p || window.__stripsDrawn()),
    partitioned,
    { timeout: 120_000 },
  );
  const opened = (await nextPaint(w)) - t0;
  await w.page.waitForSelector('.app[data-layout="final"]', { timeout: 120_000 });
  await w.page.waitForTimeout(300);
  const visibleStrips = await w.page.locator('.partition-strip').count();
  // Every node's status changes.
  const r0 = partitioned
    ? await post(w, { type: 'partitions/status', strips: strips('s') })
    : await post(w, {
        type: 'plan/result',
        steps: tasks.map((t) => ({ task: t, action: 'run', reason: 'bench' })),
      });
  // Stale and will-run: neither draws a badge, so both change the same DOM.
  const want = partitioned ? 'stale' : 'will_run';
  await w.page.waitForFunction(
    ([want, p, n]) => {
      const nodes = [...document.querySelectorAll('.react-flow__node[data-status]')];
      return (
        nodes.length > 0 &&
        nodes.every((e) => e.getAttribute('data-status') === want) &&
        (!p || window.__stripsDrawn(`${n} stale`))
      );
    },
    [want, partitioned, PARTS],
    { timeout: 60_000 },
  );
  const repainted = (await nextPaint(w)) - r0;
  // One live event (a backfill's task_started of the latest partition of the first visible task).
  let live = NaN;
  if (partitioned) {
    const first = await w.page.getAttribute('.partition-strip', 'data-strip');
    const e0 = await post(w, {
      type: 'run/event',
      event: {
        ts: new Date().toISOString(),
        run: 'r',
        event: 'task_started',
        task: first,
        partition: keys[PARTS - 1],
        attempt: 1,
      },
    });
    await w.page.waitForFunction((t) => {
      const s = document.querySelector(`.partition-strip[data-strip="${t}"]`);
      return s?.dataset.summary?.includes('running') && s.dataset.drawn === s.dataset.version;
    }, first);
    live = (await nextPaint(w)) - e0;
    // Back to a steady picture before panning (a running node animates its edges).
    await post(w, {
      type: 'run/event',
      event: {
        ts: new Date().toISOString(),
        run: 'r',
        event: 'task_skipped',
        task: first,
        partition: keys[PARTS - 1],
        status: 'complete',
        reason: 'bench',
      },
    });
    await w.page.waitForTimeout(300);
  }
  const frames = await panFrames(w.page);
  await w.page.close();
  return { opened, repainted, live, p95: pct(frames, 0.95), visibleStrips };
}

const server = await serve();
const browser = await launch();
const g = toGraphModel(
  validate(pipelineYaml(shape('layered', TASKS), { command: 'python step.py {name}' })),
);
// Interleaved (plain, partitioned, plain, …) after a warm-up of each: the machine's load drifts.
const runs = { false: [], true: [] };
for (const p of [false, true]) await measure(browser, server.url, g, p);
for (let i = 0; i < REPEAT; i++)
  for (const p of [false, true]) runs[p].push(await measure(browser, server.url, g, p));
const rows = [false, true].map((partitioned) => {
  const r = runs[partitioned];
  return {
    graph: partitioned ? `${TASKS} tasks × ${PARTS} partitions` : `${TASKS} tasks (baseline)`,
    'init → painted ms': median(r.map((x) => x.opened)).toFixed(0),
    'every status → paint ms': median(r.map((x) => x.repainted)).toFixed(0),
    'one live event → paint ms': partitioned ? median(r.map((x) => x.live)).toFixed(0) : '—',
    'p95 frame panning ms': median(r.map((x) => x.p95)).toFixed(1),
    'strips on screen': r[0].visibleStrips,
  };
});
await browser.close();
server.close();
console.table(rows);
