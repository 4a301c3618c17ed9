/**
 * A person in code-server with a graph beside the YAML: clicking or searching a task that follows a
 * trailing comment selects that task (panel and editor), Run Pipeline with Params… typed for real,
 * the terminal kept off the graph with a Show Output button, and the full log tab.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { openVsCode, ROOT, shotsDir } from './harness';
import { frameWith } from './workbench';

const graphFrame = (page: Page, timeoutMs?: number) =>
  frameWith(page, '.react-flow__node[data-id="train"]', 'the pipeline', timeoutMs);

const SHOTS = shotsDir();

// `extract` ends with a comment line and a blank line: `train` must never be taken for it.
const PIPELINE = `pipeline: ranges
params:
  day: "2024-01-31"
  greeting: hello
tasks:
  extract:
    run: mkdir -p out && echo "extract \${params.day}" > out/a.csv
    outputs:
      - out/a.csv
      # more outputs will come here

  train:
    run: echo "\${params.greeting} \${params.day}" > said.txt
    needs: [extract]
`;
const TRAIN_LINE = PIPELINE.split('\n').indexOf('  train:') + 1;

/** The task the panel shows, the YAML editor's breadcrumb and cursor line, once settled (the host answers a selection). */
async function selected(
  page: Page,
  graph: Frame,
): Promise<{ panel: string; crumb: string; line: number }> {
  await page.waitForTimeout(1500);
  const panel = (await graph.locator('aside.panel h2').textContent({ timeout: 10_000 })) ?? '';
  const yaml = page.locator('.editor-group-container', { hasText: 'ranges.pipeline.yaml' }).first();
  const crumb =
    (await yaml
      .locator('.breadcrumbs-control .monaco-breadcrumb-item')
      .last()
      .locator('.label-name')
      .first()
      .textContent()) ?? '';
  const line = await yaml.locator('.line-numbers.active-line-number').first().textContent();
  return { panel, crumb: crumb.trim(), line: Number(line) };
}

/** The task the panel shows after a settle, or '' when none is selected. */
async function panelTask(page: Page, graph: Frame): Promise<string> {
  await page.waitForTimeout(1500);
  const h2 = graph.locator('aside.panel h2');
  return (await h2.count()) ? ((await h2.textContent()) ?? '') : '';
}

/** Puts the cursor of the focused text editor at LINE:COLUMN (Go to Line). */
async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  await page.keyboard.type(`${line}:${column}`);
  await page.keyboard.press('Enter');
}

async function palette(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.keyboard.type(title);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: title })
    .first()
    .waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
}

/** The quick input box once it asks for `param` (its prompt names it). */
async function inputFor(page: Page, param: string) {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-message', { hasText: `params.${param}` }).waitFor();
  return widget.locator('input.input').first();
}

const panelShown = (page: Page) =>
  page.locator('.part.panel .terminal-wrapper').first().isVisible();

test(
  'e2e: the task after a trailing comment is the one selected; Run with Params…; no terminal over the graph',
  { timeout: 600_000 },
  async () => {
    const workspace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-ws-')), 'ranges');
    fs.mkdirSync(workspace);
    fs.writeFileSync(path.join(workspace, 'ranges.pipeline.yaml'), PIPELINE);
    const vscode = await openVsCode({
      workspace,
      env: { TRIBUTARY_OPEN_ON_START: 'ranges.pipeline.yaml' },
    });
    const { page } = vscode;
    try {
      const graph = await graphFrame(page);
      await graph.locator('.app[data-layout="final"]').waitFor();

      // A click on train: the panel and the editor name train, and stay on it.
      await graph.locator('.react-flow__node[data-id="train"]').click();
      assert.deepEqual(await selected(page, graph), {
        panel: 'train',
        crumb: 'train',
        line: TRAIN_LINE,
      });
      await page.screenshot({ path: path.join(SHOTS, 'ranges-click-train.png') });

      // Searching it from another task: the same.
      await graph.locator('.react-flow__node[data-id="extract"]').click();
      assert.equal((await selected(page, graph)).panel, 'extract');
      const search = graph.locator('#search input');
      await search.fill('train');
      await search.press('Enter');
      assert.deepEqual(await selected(page, graph), {
        panel: 'train',
        crumb: 'train',
        line: TRAIN_LINE,
      });

      // In the YAML, the comment and the blank line after extract are not extract's (a range
      // that swallowed them would select extract there); the start of train's key is train's.
      await graph.locator('.react-flow__node[data-id="extract"]').click();
      assert.equal((await selected(page, graph)).panel, 'extract');
      await page
        .locator('.editor-group-container .view-line', { hasText: 'pipeline' })
        .first()
        .click();
      for (const [line, column] of [
        [TRAIN_LINE - 2, 9], // # more outputs will come here
        [TRAIN_LINE - 1, 1], // the blank line
      ]) {
        await goTo(page, line!, column!);
        assert.notEqual(await panelTask(page, graph), 'extract', `line ${line}:${column}`);
      }
      await goTo(page, TRAIN_LINE, 3);
      assert.deepEqual(await selected(page, graph), {
        panel: 'train',
        crumb: 'train',
        line: TRAIN_LINE,
      });

      // Run Pipeline with Params…: typed values, passed as data (no shell sees them).
      assert.equal(await panelShown(page), false, 'no terminal before the run');
      // From the graph tab's "…" menu (its title bar), where Run is.
      const graphGroup = page
        .locator('.editor-group-container', { hasText: 'Graph · ranges.pipeline.yaml' })
        .first();
      await graphGroup.locator('.editor-actions [aria-label^="More Actions"]').first().click();
      const item = page.locator('.monaco-menu .action-label', {
        hasText: 'Run Pipeline with Params…',
      });
      await item.first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(SHOTS, 'params-menu.png') });
      await item.first().click();
      let box = await inputFor(page, 'day');
      assert.equal(await box.inputValue(), '2024-01-31', 'prefilled with the default');
      await box.fill('tomorrow');
      await page
        .locator('.quick-input-widget .quick-input-message', { hasText: 'is a date' })
        .waitFor();
      await page.screenshot({ path: path.join(SHOTS, 'params-warning.png') });
      await box.fill('2024-02-15');
      await box.press('Enter');
      box = await inputFor(page, 'greeting');
      await box.fill('hi $(id) `x`;');
      await box.press('Enter');
      const said = path.join(workspace, 'said.txt');
      const start = Date.now();
      while (!fs.existsSync(said) && Date.now() - start < 60_000) await page.waitForTimeout(200);
      await page.waitForTimeout(500);
      assert.equal(fs.readFileSync(said, 'utf8'), 'hi $(id) `x`; 2024-02-15\n');

      // The terminal stayed closed: the graph keeps its space; a notification offers the output.
      // (The test driver keeps toasts hidden: the notification is looked at in the notification centre.)
      await palette(page, 'Notifications: Show Notifications');
      const show = page.locator('.notifications-center .notification-list-item', {
        hasText: 'Tributary: started ranges.pipeline.yaml',
      });
      await show.waitFor({ timeout: 30_000 });
      assert.equal(await panelShown(page), false, 'the run did not open the terminal');
      await page.screenshot({ path: path.join(SHOTS, 'run-graph-keeps-space.png') });
      await show.getByRole('button', { name: 'Show Output' }).click();
      await page.locator('.part.panel .terminal-wrapper').first().waitFor({ timeout: 30_000 });
      await page.screenshot({ path: path.join(SHOTS, 'run-show-output.png') });

      // Again: the values typed last time are offered; Escape runs nothing.
      const records = () => fs.readdirSync(path.join(workspace, '.tributary', 'runs')).length;
      const before = records();
      await graph.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
      await palette(page, 'Tributary: Run Pipeline with Params…');
      box = await inputFor(page, 'day');
      assert.equal(await box.inputValue(), '2024-02-15', 'the value used last time');
      await box.press('Escape');
      await page.waitForTimeout(2000);
      assert.equal(records(), before, 'Escape started no run');

      // The node menu's "Open full log": a tab with the attempt's section.
      await palette(page, 'View: Hide Panel');
      await graph.locator('.react-flow__node[data-id="train"] [data-action="menu"]').click();
      await graph.locator('[data-menu="fullLog"]').click();
      const tab = page.locator('.tab', { hasText: 'train.log' });
      await tab.waitFor({ timeout: 30_000 });
      await page
        .locator('.editor-instance .view-line', { hasText: /attempt\s1\sof\s1/ })
        .first()
        .waitFor({ timeout: 30_000 });
      assert.ok(
        await graph.locator('.react-flow__node[data-id="train"]').isVisible(),
        'the log opened beside the graph, not over it',
      );
      await page.screenshot({ path: path.join(SHOTS, 'full-log-tab.png') });
    } catch (e) {
      await page
        .screenshot({ path: path.join(ROOT, 'test-results', 'run-from-graph-failure.png') })
        .catch(() => {});
      throw e;
    } finally {
      await vscode.stop();
    }
  },
);
