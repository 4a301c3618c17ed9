/* global window, document, requestAnimationFrame */
// Benchmark: the graph webview in Chromium for 100, 1,000, 3,000 and 10,000-task layered graphs.
// Reference in the same run: elkjs with default options on the same graph (in Node's V8).
// Measures: Tributary's layout as it runs it, init → visible nodes painted, frame times while
// panning for 2 s (default zoom, and the whole graph in view), and a status change of every
// node → next paint. Run: npm run build && node --import tsx bench/webview.mjs
import ELK from 'elkjs/lib/elk.bundled.js';
import { layeredLayout } from '../core/graph/layered.ts';
import { toGraphModel } from '../core/protocol/graphModel.ts';
import { validate } from '../core/validate/validate.ts';
import { launch, openWebview, serve } from '../webview/test/harness.ts';
import { pipelineYaml, shape } from './generate.mjs';

const SIZES = (process.env.SIZES ?? '100,1000,3000,10000').split(',').map(Number);
const size = (n) => ({
  id: n.id,
  width: n.kind === 'task' ? 220 : 190,
  height: n.kind === 'task' ? 70 : 44,
});

async function elkTime(g, options) {
  const elk = new ELK();
  const t = performance.now();
  try {
    await elk.layout({
      id: 'root',
      layoutOptions: options,
      children: g.nodes.map(size),
      edges: g.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
    });
    return (performance.now() - t).toFixed(0);
  } catch (e) {
    return `fails (${String(e.message ?? e).slice(0, 30)})`;
  }
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))].toFixed(1) : 'n/a';
};

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
  const steps = 60;
  for (let i = 0; i < steps; i++) {
    await page.mouse.move(
      cx + 200 * Math.sin((i / steps) * Math.PI * 2),
      cy + 120 * Math.cos((i / steps) * Math.PI * 2),
    );
    await page.waitForTimeout(ms / steps);
  }
  await page.mouse.up();
  return page.evaluate(() => {
    window.__recording = false;
    return window.__frames.slice(2);
  });
}

/**
 * Posts a host message from inside the page and returns the page's clock at that moment: the
 * message is handed to the page first, so Playwright's transfer of a large message (megabytes
 * at 10,000 tasks) is not counted as the webview's time.
 */
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

/** Sends init; resolves with the time until the first picture is on screen. */
async function open(w, g) {
  await w.page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
  const t0 = await post(w, { type: 'init', version: 1, graph: g, events: [], trusted: true });
  await w.page.waitForFunction(
    () =>
      document.querySelectorAll('.react-flow__node').length > 0 ||
      document.querySelector('canvas.overview[data-statuses]') !== null,
    undefined,
    { timeout: 120_000 },
  );
  const painted = await w.page.evaluate(
    () =>
      new Promise((r) =>
        requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))),
      ),
  );
  // Measure the settled picture: the tidier layout in place, the whole graph fitted.
  await w.page.waitForSelector('.app[data-layout="final"]', { timeout: 120_000 });
  await w.page.waitForTimeout(300);
  return painted - t0;
}

/** A plan marking every task → every visible node (DOM or canvas) repainted; ms to that paint. */
async function repaint(w, g, tasks) {
  const r0 = await post(w, {
    type: 'plan/result',
    steps: g.nodes
      .filter((x) => x.kind === 'task')
      .map((x) => ({ task: x.id, action: 'run', reason: 'bench' })),
  });
  await w.page.waitForFunction(
    (n) => {
      const canvas = document.querySelector('canvas.overview');
      if (canvas) {
        const drawn = (canvas.dataset.statuses ?? '')
          .split(',')
          .filter((s) => !s.startsWith('source:'));
        return drawn.length === 1 && drawn[0] === `will_run:${n}`;
      }
      const nodes = [...document.querySelectorAll('.react-flow__node[data-status]')];
      return nodes.length > 0 && nodes.every((e) => e.getAttribute('data-status') === 'will_run');
    },
    tasks,
    { timeout: 60_000 },
  );
  const done = await w.page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => r(performance.now()))),
  );
  return done - r0;
}

const server = await serve();
const browser = await launch();
const rows = [];
for (const n of SIZES) {
  const g = toGraphModel(
    validate(pipelineYaml(shape('layered', n), { command: 'python step.py {name}' })),
  );
  const reference =
    n <= 3000
      ? await elkTime(g, { 'elk.algorithm': 'layered' })
      : await elkTime(g, { 'elk.algorithm': 'layered' });
  const tuned =
    n <= 1500
      ? await elkTime(g, {
          'elk.algorithm': 'layered',
          'elk.layered.thoroughness': '1',
          'elk.edgeRouting': 'POLYLINE',
        })
      : (() => {
          const t = performance.now();
          layeredLayout({ nodes: g.nodes.map(size), edges: g.edges, direction: 'RIGHT' });
          return `${(performance.now() - t).toFixed(0)} (fast layered)`;
        })();
  const tasks = g.nodes.filter((x) => x.kind === 'task').length;
  // First open, as a user sees it: the whole graph fitted (the canvas overview when large).
  const w = await openWebview(browser, server.url, 'dark', { width: 1400, height: 900 });
  const painted = await open(w, g);
  const fit = () =>
    w.page
      .locator('#fit')
      .click()
      .then(() => w.page.waitForTimeout(400));
  await fit();
  const whole = await panFrames(w.page);
  await fit();
  const repaintWhole = await repaint(w, g, tasks);
  await w.page.close();
  // At 100% zoom (a saved view state): React Flow's own nodes, culled to the visible ones.
  const z = await openWebview(
    browser,
    server.url,
    'dark',
    { width: 1400, height: 900 },
    {
      direction: 'RIGHT',
      selected: null,
      viewport: { x: 40, y: 40, zoom: 1 },
    },
  );
  await open(z, g);
  const atDefault = await panFrames(z.page);
  const repaintDefault = await repaint(z, g, tasks);
  await z.page.close();
  rows.push({
    tasks: n,
    'elkjs default ms (reference)': reference,
    'Tributary layout ms': tuned,
    'init → painted ms': painted.toFixed(0),
    'p95 frame, 100% zoom ms': pct(atDefault, 0.95),
    'p95 frame, whole graph ms': pct(whole, 0.95),
    'status repaint, whole graph ms': repaintWhole.toFixed(0),
    'status repaint, 100% zoom ms': repaintDefault.toFixed(0),
  });
  console.error(JSON.stringify(rows.at(-1)));
}
await browser.close();
server.close();
console.table(rows);
