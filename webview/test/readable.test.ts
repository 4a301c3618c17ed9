/** What a newcomer reads, in a real Chromium with VS Code's Modern themes: a YAML error said over the graph, badges and nodes that stand out, a failed task's error in view. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RunEvent } from '../../core/run/events';
import { graphOf, openWebview, sharedBrowser, shotsDir, type WebviewPage } from './harness';

const SHOTS = shotsDir();
const shared = sharedBrowser();

/** The variables VS Code 1.139's default themes set (read from a real webview in code-server). */
const MODERN = {
  dark: 'body{--vscode-foreground:#cccccc;--vscode-editor-background:#1f1f1f;--vscode-editorWidget-background:#202020;--vscode-panel-border:#2b2b2b;--vscode-focusBorder:#0078d4;--vscode-charts-blue:#59a4f9;--vscode-charts-green:#89d185;--vscode-charts-orange:rgba(234,92,0,0.33);--vscode-charts-yellow:#cca700;--vscode-charts-purple:#b180d7;--vscode-testing-iconPassed:#73c991;--vscode-testing-iconFailed:#f88070;--vscode-errorForeground:#f85149;--vscode-editorLineNumber-foreground:#6e7681;--vscode-descriptionForeground:#9d9d9d;--vscode-inputValidation-errorBackground:#5a1d1d;--vscode-inputValidation-errorBorder:#be1100;--vscode-font-family:sans-serif;background:#1f1f1f;color:#ccc}',
  light:
    'body{--vscode-foreground:#3b3b3b;--vscode-editor-background:#ffffff;--vscode-editorWidget-background:#f8f8f8;--vscode-panel-border:#e5e5e5;--vscode-focusBorder:#005fb8;--vscode-charts-blue:#0063d3;--vscode-charts-green:#388a34;--vscode-charts-orange:rgba(234,92,0,0.33);--vscode-charts-yellow:#bf8803;--vscode-charts-purple:#652d90;--vscode-testing-iconPassed:#73c991;--vscode-testing-iconFailed:#b01011;--vscode-errorForeground:#f85149;--vscode-editorLineNumber-foreground:#6e7681;--vscode-descriptionForeground:#3b3b3b;--vscode-inputValidation-errorBackground:#f2dede;--vscode-inputValidation-errorBorder:#be1100;--vscode-font-family:sans-serif;background:#fff;color:#3b3b3b}',
};

const PIPELINE = `pipeline: demo
tasks:
  extract:
    run: python extract.py
  transform:
    run: python transform.py
    needs: [extract]
  features:
    run: python features.py
    needs: [transform]
  other:
    run: sleep 100
    needs: [extract]
`;

async function open(
  text: string,
  theme: keyof typeof MODERN = 'dark',
  size = { width: 1280, height: 800 },
): Promise<WebviewPage> {
  const w = await openWebview(shared.browser, shared.url, 'dark', size);
  await w.page.evaluate((css) => {
    (document.getElementById('theme') as HTMLStyleElement).textContent = css;
  }, MODERN[theme]);
  await w.send({ type: 'init', version: 1, graph: graphOf(text), events: [], trusted: true });
  await w.page.waitForSelector('.app[data-layout="final"]');
  return w;
}

const ev = (e: Partial<RunEvent> & { event: string }): RunEvent =>
  ({ ts: new Date().toISOString(), run: 'r1', ...e }) as RunEvent;

/** transform fails, features is blocked by it, other is cancelled. */
async function failedRun(w: WebviewPage): Promise<void> {
  const events = [
    ev({ event: 'run_started', pipeline: 'demo', file: 'p', tasks: [], params: {}, workers: 2 }),
    ev({ event: 'task_started', task: 'extract', attempt: 1 }),
    ev({ event: 'task_finished', task: 'extract', attempt: 1, status: 'success', duration_ms: 5 }),
    ev({ event: 'task_started', task: 'transform', attempt: 1 }),
    ev({ event: 'task_started', task: 'other', attempt: 1 }),
    ev({
      event: 'task_finished',
      task: 'transform',
      attempt: 1,
      status: 'failed',
      exit_code: 1,
      duration_ms: 20,
      message: 'exit code 1',
    }),
    ev({ event: 'task_skipped', task: 'features', status: 'upstream_failed' }),
    ev({ event: 'task_finished', task: 'other', attempt: 1, status: 'cancelled', duration_ms: 9 }),
  ];
  for (const event of events) await w.send({ type: 'run/event', event });
  await w.page.locator('[data-id="other"][data-status="cancelled"]').first().waitFor();
}

/** A CSS colour as opaque-or-not sRGB bytes, through a canvas (any CSS colour syntax). */
function rgba(page: Page, colour: string): Promise<[number, number, number, number]> {
  return page.evaluate((c) => {
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = c;
    ctx.fillRect(0, 0, 1, 1);
    const d = ctx.getImageData(0, 0, 1, 1).data;
    return [d[0]!, d[1]!, d[2]!, d[3]!] as [number, number, number, number];
  }, colour);
}

/** WCAG contrast ratio of two opaque colours. */
function contrast(a: number[], b: number[]): number {
  const lum = (c: number[]) => {
    const [r, g, b2] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b2!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

test('a YAML that does not parse is said over the graph, with its line, until it parses again', async () => {
  // transform's needs (line 7) loses its closing bracket.
  const broken = PIPELINE.replace('needs: [extract]\n  features', 'needs: [extract\n  features');
  assert.notEqual(broken, PIPELINE);
  const w = await open(broken);
  const banner = w.page.locator('#yaml-error');
  await banner.waitFor({ timeout: 10_000 });
  const text = (await banner.textContent()) ?? '';
  assert.match(text, /does not parse/);
  const at = /line (\d+), column \d+/.exec(text);
  assert.ok(at && Number(at[1]) >= 7, `the banner names where: ${text}`);
  assert.equal(await banner.getAttribute('role'), 'alert');
  await w.page.screenshot({ path: path.join(SHOTS, 'graph-yaml-error.png') });
  // Both the banner and the toolbar's count lead to the Problems list.
  await banner.getByRole('button', { name: 'Show problems' }).click();
  await w.page.locator('#problems').click();
  assert.equal((await w.posted()).filter((m) => m.type === 'view/problems').length, 2);
  // Fixed in the text: the banner goes, the whole graph is back.
  await w.send({ type: 'graph/update', version: 2, graph: graphOf(PIPELINE) });
  await banner.waitFor({ state: 'detached' });
  await w.page.locator('.react-flow__node[data-id="other"]').waitFor();
  await w.page.close();
});

for (const theme of ['dark', 'light'] as const)
  test(`in the ${theme} Modern theme, state badges read (contrast ≥ 4.5) and nodes stand out from the canvas`, async () => {
    const w = await open(PIPELINE, theme);
    await failedRun(w);
    await w.page.screenshot({ path: path.join(SHOTS, `badges-${theme}.png`) });
    const canvas = await rgba(
      w.page,
      await w.page.locator('.react-flow').evaluate((e) => getComputedStyle(e).backgroundColor),
    );
    for (const status of ['failed', 'upstream_failed', 'cancelled']) {
      const badge = w.page.locator(`.state-badge.status-${status}`).first();
      const css = await badge.evaluate((e) => {
        const s = getComputedStyle(e);
        return { ink: s.color, fill: s.backgroundColor };
      });
      const fill = await rgba(w.page, css.fill);
      assert.equal(fill[3], 255, `the ${status} badge is opaque (${css.fill})`);
      const ratio = contrast(await rgba(w.page, css.ink), fill);
      assert.ok(
        ratio >= 4.5,
        `${status} badge: contrast ${ratio.toFixed(2)} (${css.ink} on ${css.fill})`,
      );
      // The node's status stripe is solid too (a translucent one fades into the canvas).
      const stripe = await w.page
        .locator(`.task-node.status-${status}`)
        .first()
        .evaluate((e) => getComputedStyle(e).borderLeftColor);
      assert.equal((await rgba(w.page, stripe))[3], 255, `${status} stripe ${stripe} is opaque`);
    }
    const node = await w.page
      .locator('.task-node.status-success')
      .first()
      .evaluate((e) => ({ border: getComputedStyle(e).borderTopColor }));
    const border = contrast(await rgba(w.page, node.border), canvas);
    assert.ok(border >= 2, `a node's border stands out from the canvas: ${border.toFixed(2)}`);
    // The state and duration line: not faded, and at least 8 px on screen at the 70 % fit.
    const meta = await w.page
      .locator('.task-node.status-success .task-meta')
      .first()
      .evaluate((e) => {
        const s = getComputedStyle(e);
        const bg = getComputedStyle(e.closest('.task-node')!).backgroundColor;
        return { ink: s.color, opacity: s.opacity, size: parseFloat(s.fontSize), bg };
      });
    assert.equal(meta.opacity, '1', 'the state line is not faded');
    assert.ok(meta.size * 0.7 >= 8, `the state line is ${meta.size * 0.7}px at the 70 % fit`);
    const ink = contrast(await rgba(w.page, meta.ink), await rgba(w.page, meta.bg));
    assert.ok(ink >= 4.5, `the state line's contrast is ${ink.toFixed(2)}`);
    await w.page.close();
  });

test("a click on a failed node shows its error in the panel's view, above the form", async () => {
  // The graph beside the YAML: a narrow pane, the panel under the canvas.
  const w = await open(PIPELINE, 'dark', { width: 560, height: 800 });
  await failedRun(w);
  await w.page.locator('.react-flow__node[data-id="transform"]').click();
  const lines = ['(run r1 · attempt 1)', ...Array.from({ length: 60 }, (_, i) => `row ${i}`)];
  lines.push("ValueError: column 'tmax' out of range");
  await w.send({ type: 'task/log', task: 'transform', lines, run: 'r1', attempt: 1 });
  const last = w.page.getByText("ValueError: column 'tmax' out of range");
  await last.waitFor();
  const panel = (await w.page.locator('aside.panel').boundingBox())!;
  const box = (await last.boundingBox())!;
  await w.page.screenshot({ path: path.join(SHOTS, 'failed-node-panel.png') });
  assert.ok(
    box.y >= panel.y && box.y + box.height <= panel.y + panel.height,
    `the error line (y ${box.y}) is inside the panel's view (${panel.y}…${panel.y + panel.height})`,
  );
  await w.page.close();
});

test('keyboard only: Tab reaches a node, Enter opens its panel', async () => {
  const w = await open(PIPELINE);
  await w.page.locator('.react-flow__node[data-id="transform"]').focus();
  await w.page.keyboard.press('Enter');
  await w.page
    .locator('aside.panel[aria-label="Properties of transform"]')
    .waitFor({ timeout: 5_000 });
  // Enter on the node's own ▶ runs it, and does not also select another task.
  await w.page.locator('.react-flow__node[data-id="other"] [data-action="run"]').focus();
  await w.page.keyboard.press('Enter');
  assert.ok(
    (await w.posted()).some((m) => m.type === 'run/task' && m.task === 'other' && m.mode === 'run'),
  );
  assert.equal(await w.page.locator('aside.panel[aria-label="Properties of other"]').count(), 0);
  await w.page.close();
});

test('Stop is offered only while a run goes (a click on it otherwise did nothing, silently)', async () => {
  const w = await open(PIPELINE);
  const stop = w.page.locator('#stop');
  const disabled = () => stop.evaluate((e) => e.hasAttribute('disabled'));
  assert.equal(await disabled(), true);
  assert.equal(await stop.getAttribute('title'), 'Nothing is running');
  await w.send({
    type: 'run/event',
    event: ev({
      event: 'run_started',
      pipeline: 'demo',
      file: 'p',
      tasks: [],
      params: {},
      workers: 2,
    }),
  });
  await w.page.waitForFunction(() => !document.querySelector('#stop')?.hasAttribute('disabled'));
  await stop.click();
  assert.ok((await w.posted()).some((m) => m.type === 'run/stop'));
  await w.send({
    type: 'run/event',
    event: ev({ event: 'run_finished', status: 'cancelled', duration_ms: 5 }),
  });
  await w.page.waitForFunction(() => document.querySelector('#stop')?.hasAttribute('disabled'));
  await w.page.close();
});

test('after a cancelled run, the tasks that never started say "not run", not "pending" as if still waiting', async () => {
  const w = await open(PIPELINE);
  // Before any run, nothing waits: a task no run, plan or record speaks of has never run.
  assert.equal(
    (
      await w.page.locator('.react-flow__node[data-id="features"] .task-meta').textContent()
    )?.trim(),
    'never run',
  );
  assert.equal(
    await w.page.locator('.react-flow__node[data-id="features"]').getAttribute('data-status'),
    'pending',
  );
  const events = [
    ev({
      event: 'run_started',
      pipeline: 'demo',
      file: 'p',
      tasks: ['extract', 'transform', 'features'],
      params: {},
      workers: 1,
    }),
    ev({ event: 'task_started', task: 'extract', attempt: 1 }),
    ev({ event: 'task_finished', task: 'extract', attempt: 1, status: 'success', duration_ms: 5 }),
    ev({ event: 'task_started', task: 'transform', attempt: 1 }),
  ];
  for (const event of events) await w.send({ type: 'run/event', event });
  const meta = w.page.locator('.react-flow__node[data-id="features"] .task-meta');
  // While the run goes, a task not started yet is pending.
  await w.page.locator('[data-id="transform"][data-status="running"]').first().waitFor();
  assert.equal((await meta.textContent())?.trim(), 'pending');
  for (const event of [
    ev({
      event: 'task_finished',
      task: 'transform',
      attempt: 1,
      status: 'cancelled',
      duration_ms: 9,
    }),
    ev({ event: 'run_finished', status: 'cancelled', duration_ms: 20 }),
  ])
    await w.send({ type: 'run/event', event });
  await w.page.locator('[data-id="transform"][data-status="cancelled"]').first().waitFor();
  await w.page.waitForFunction(
    () =>
      document
        .querySelector('.react-flow__node[data-id="features"] .task-meta')
        ?.textContent?.trim() === 'not run',
  );
  assert.match(
    (await w.page.locator('.task-node[data-id="features"]').getAttribute('title')) ?? '',
    /not run: the run was cancelled/,
  );
  await w.page.close();
});

test('Add task selects the new task once the YAML has it: its panel opens and it is in view', async () => {
  const w = await open(PIPELINE);
  await w.page.locator('#add-task').click();
  const intent = (await w.posted()).find((m) => m.type === 'intent') as
    { intent: { kind: string; name: string } } | undefined;
  assert.equal(intent?.intent.kind, 'addTask');
  const name = intent!.intent.name;
  // The host applies it to the text and sends the new graph.
  await w.send({
    type: 'graph/update',
    version: 2,
    graph: graphOf(`${PIPELINE}  ${name}:\n    run: echo "TODO"\n`),
  });
  await w.page
    .locator(`aside.panel[aria-label="Properties of ${name}"]`)
    .waitFor({ timeout: 5_000 });
  const box = (await w.page.locator(`.react-flow__node[data-id="${name}"]`).boundingBox())!;
  const view = w.page.viewportSize()!;
  assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= view.width, 'the new task is in view');
  await w.page.close();
});

test('a partitioned node that looks fine for the day shown still says how many partitions failed', async () => {
  const text = `pipeline: daily
partitions:
  daily: { start: "2024-01-01", end: "2024-01-05", timezone: UTC }
tasks:
  ingest:
    run: python ingest.py \${partition}
    outputs: ["data/raw/\${partition}.csv"]
  validate:
    run: python validate.py \${partition}
    needs: [ingest]
    outputs: ["data/valid/\${partition}.csv"]
`;
  const w = await open(text);
  const keys = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
  // The third day failed validation; the latest (shown) is complete.
  await w.send({
    type: 'partitions/status',
    strips: { keys, tasks: { ingest: 'ccccc', validate: 'ccfcc' } },
  });
  const validate = w.page.locator('.react-flow__node[data-id="validate"]');
  await w.page.locator('.react-flow__node[data-id="validate"][data-status="complete"]').waitFor();
  const badge = validate.locator('[data-badge="partitions-failed"]');
  await badge.waitFor({ timeout: 5_000 });
  assert.equal((await badge.textContent())?.trim(), '1 partition failed');
  assert.equal(
    await w.page.locator('.react-flow__node[data-id="ingest"] [data-badge]').count(),
    0,
    'no badge where nothing failed',
  );
  await w.page.screenshot({ path: path.join(SHOTS, 'partitions-failed-badge.png') });
  await w.page.close();
});

test('after a failed run, the graph names the failed task and Show brings it into view, even off-screen in a narrow pane', async () => {
  // A long chain in a narrow pane: at the readable zoom its end is off-screen.
  let text = 'pipeline: long\ntasks:\n';
  for (let i = 0; i < 14; i++)
    text += `  step_${i}:\n    run: echo ${i}\n${i ? `    needs: [step_${i - 1}]\n` : ''}`;
  const w = await openWebview(shared.browser, shared.url, 'dark', { width: 420, height: 700 });
  await w.send({ type: 'init', version: 1, graph: graphOf(text), events: [], trusted: true });
  await w.page.waitForSelector('.app[data-layout="final"]');
  const failed = 'step_12';
  for (const event of [
    ev({ event: 'run_started', pipeline: 'long', file: 'p', tasks: [], params: {}, workers: 1 }),
    ev({ event: 'task_started', task: failed, attempt: 1 }),
    ev({
      event: 'task_finished',
      task: failed,
      attempt: 1,
      status: 'failed',
      exit_code: 1,
      duration_ms: 3,
    }),
    ev({ event: 'task_skipped', task: 'step_13', status: 'upstream_failed' }),
  ])
    await w.send({ type: 'run/event', event });
  // Not while the run goes.
  assert.equal(await w.page.locator('#run-outcome').count(), 0);
  await w.send({
    type: 'run/event',
    event: ev({ event: 'run_finished', status: 'failed', duration_ms: 9 }),
  });
  const outcome = w.page.locator('#run-outcome');
  await outcome.waitFor({ timeout: 5_000 });
  assert.match((await outcome.textContent()) ?? '', /The run failed at step_12/);
  const node = w.page.locator(`.react-flow__node[data-id="${failed}"]`);
  const inView = async () => {
    const b = await node.boundingBox();
    return !!b && b.y >= 0 && b.y + b.height <= 700 && b.x >= 0 && b.x + b.width <= 420;
  };
  assert.equal(await inView(), false, 'the failed node starts off-screen');
  await w.page.locator('#run-outcome-show').click();
  await w.page.locator(`aside.panel[aria-label="Properties of ${failed}"]`).waitFor();
  assert.ok((await w.posted()).some((m) => m.type === 'task/showLog' && m.task === failed));
  await w.page.waitForFunction(
    (id) => {
      const r = document
        .querySelector(`.react-flow__node[data-id="${id}"]`)
        ?.getBoundingClientRect();
      return !!r && r.top >= 0 && r.bottom <= window.innerHeight;
    },
    failed,
    { timeout: 5_000 },
  );
  await w.page.screenshot({ path: path.join(SHOTS, 'run-outcome.png') });
  await w.page.close();
});
