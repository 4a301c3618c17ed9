/** A person with the demo in VS Code: the first view beside the YAML, a failed run, Reload Window, the log, the plan. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { demoWorkspace, openVsCode, ROOT, shotsDir } from './harness';
import { frameWith } from './workbench';

const graphFrame = (page: Page, timeoutMs?: number) =>
  frameWith(page, '.react-flow__node[data-id="extract_files"]', 'the demo', timeoutMs);

const SHOTS = shotsDir();

const box = async (f: Frame, id: string) => {
  const b = await f.locator(`.react-flow__node[data-id="${id}"]`).boundingBox();
  assert.ok(b, `${id} is drawn`);
  return b;
};

test(
  'e2e: the graph beside the YAML is readable, and after a failed run and Reload Window it still tells the truth',
  { timeout: 600_000 },
  async () => {
    const workspace = demoWorkspace();
    // transform fails without printing anything.
    const yamlFile = path.join(workspace, 'weather.pipeline.yaml');
    fs.writeFileSync(
      yamlFile,
      fs
        .readFileSync(yamlFile, 'utf8')
        .replace(
          'run: python3 steps/transform.py data/valid/weather.csv data/clean/weather.csv',
          'run: exit 3',
        ),
    );
    // A second pipeline: "Run Pipeline" must not ask which one while the graph is active.
    fs.writeFileSync(
      path.join(workspace, 'other.pipeline.yaml'),
      'pipeline: other\ntasks:\n  hello:\n    run: echo hello\n',
    );
    const vscode = await openVsCode({
      workspace,
      env: { TRIBUTARY_OPEN_ON_START: 'weather.pipeline.yaml' },
    });
    const { page } = vscode;
    try {
      let graph = await graphFrame(page);
      await graph.locator('.app[data-layout="final"]').waitFor();
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(SHOTS, 'vscode-first-view.png') });

      // Beside the YAML the pane is taller than wide: top-down, at a readable zoom.
      const a = await box(graph, 'extract_files');
      const v = await box(graph, 'validate');
      assert.ok(v.y > a.y + a.height, 'validate is below extract_files (top-down)');
      assert.ok(a.width >= 220 * 0.69, `nodes are drawn at a readable zoom (width ${a.width})`);
      // The name keeps its underscore: it is not clipped (its box is as tall as its text).
      const name = graph.locator('.react-flow__node[data-id="extract_db"] .task-name');
      assert.equal(await name.textContent(), 'extract_db');
      const clipped = await name.evaluate((e) => e.scrollHeight > e.clientHeight + 1);
      assert.equal(clipped, false, 'the task name is not clipped');
      // Legend folded, no minimap for 13 tasks, nothing over the zoom controls.
      assert.equal(await graph.locator('.legend-item').count(), 0);
      assert.equal(await graph.locator('.react-flow__minimap').count(), 0);
      const controls = await graph.locator('.react-flow__controls').boundingBox();
      assert.ok(controls);
      for (const sel of ['.legend', '.react-flow__minimap', '.plan-banner']) {
        const other = await graph
          .locator(sel)
          .first()
          .boundingBox()
          .catch(() => null);
        if (!other) continue;
        const overlap: boolean =
          controls.x < other.x + other.width &&
          other.x < controls.x + controls.width &&
          controls.y < other.y + other.height &&
          other.y < controls.y + controls.height;
        assert.equal(overlap, false, `${sel} overlaps the zoom controls`);
      }
      // The graph's tab says it is the graph.
      await page.locator('.tab', { hasText: 'Graph' }).first().waitFor({ timeout: 10_000 });

      // Plan: a summary that can be cleared.
      await graph.locator('#plan').click();
      const summary = graph.locator('.plan-summary');
      await summary.waitFor({ timeout: 60_000 });
      assert.match((await summary.textContent()) ?? '', /Plan: \d+ of \d+ tasks will run/);
      await page.screenshot({ path: path.join(SHOTS, 'vscode-plan.png') });
      await graph.locator('#plan-clear').click();
      await summary.waitFor({ state: 'detached' });

      // "Run Pipeline" from the palette with the graph active runs this pipeline without asking.
      await graph.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
      await page.keyboard.press('F1');
      await page.keyboard.type('Tributary: Run Pipeline');
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Tributary: Run Pipeline' })
        .first()
        .waitFor({ timeout: 30_000 });
      await page.keyboard.press('Enter');
      await graph
        .locator(
          '.react-flow__node[data-status="running"], .react-flow__node[data-status="success"]',
        )
        .first()
        .waitFor({ timeout: 60_000 });
      assert.equal(
        await page.locator('.quick-input-widget', { hasText: 'Which pipeline?' }).isVisible(),
        false,
        'no question which pipeline',
      );
      // transform fails; the status bar says so, the node has a badge.
      await graph
        .locator('.react-flow__node[data-id="transform"][data-status="failed"]')
        .waitFor({ timeout: 120_000 });
      await page
        .locator('.statusbar-item', { hasText: 'run failed' })
        .first()
        .waitFor({ timeout: 60_000 });
      await graph.locator('.react-flow__node[data-id="transform"] .state-badge').waitFor();
      await page.screenshot({ path: path.join(SHOTS, 'vscode-failed-run.png') });

      // Reload Window: the graph comes back with each task's last state, and the status bar too.
      await page.keyboard.press('F1');
      await page.keyboard.type('Developer: Reload Window');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(3000);
      await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
      graph = await graphFrame(page);
      await graph
        .locator('.react-flow__node[data-id="transform"][data-status="failed"]')
        .waitFor({ timeout: 60_000 });
      assert.equal(
        await graph
          .locator('.react-flow__node[data-id="validate"]')
          .first()
          .getAttribute('data-status'),
        'success',
      );
      assert.equal(
        await graph
          .locator('.react-flow__node[data-id="features"]')
          .first()
          .getAttribute('data-status'),
        'upstream_failed',
      );
      await page
        .locator('.statusbar-item', { hasText: 'run failed' })
        .first()
        .waitFor({ timeout: 60_000 });
      // Still top-down after the reload (kept for the file), though a panel now shares the pane.
      const [tr, fe] = [await box(graph, 'transform'), await box(graph, 'features')];
      assert.ok(fe.y > tr.y + tr.height, 'features is below transform after the reload');
      // Show log of the failed node: that run's, and it says the attempt printed nothing.
      await graph.locator('.react-flow__node[data-id="transform"]').click();
      const note = graph.getByText(/printed nothing/).first();
      await note.waitFor({ timeout: 30_000 });
      await note.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, 'vscode-after-reload.png') });
    } catch (e) {
      await page
        .screenshot({ path: path.join(ROOT, 'test-results', 'graph-view-failure.png') })
        .catch(() => {});
      throw e;
    } finally {
      await vscode.stop();
    }
  },
);
