/** What a person does with the daily demo in code-server: strips after a backfill, fix the bad day, Tributary: Backfill… from the palette, watch it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { openVsCode, ROOT, shotsDir } from './harness';
import { frameWith } from './workbench';

const graphFrame = (page: Page, timeoutMs?: number) =>
  frameWith(page, '.partition-strip[data-strip="validate"]', 'the strips', timeoutMs);

const SHOTS = shotsDir();
/** Every step's picture for the session to look at (the README takes one, in SHOTS). */
const LOOK =
  process.env.TRIBUTARY_LOOK_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-look-'));

async function shot(page: Page, name: string, readme = false): Promise<void> {
  fs.mkdirSync(LOOK, { recursive: true });
  await page.screenshot({ path: path.join(LOOK, name) });
  if (readme) fs.copyFileSync(path.join(LOOK, name), path.join(SHOTS, name));
}

test(
  'e2e: the daily demo after a backfill — strips, picker, Backfill… from the palette',
  { timeout: 600_000 },
  async () => {
    const ws = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-daily-')), 'daily');
    fs.cpSync(path.join(ROOT, 'examples', 'daily'), ws, {
      recursive: true,
      filter: (s) => !/\/(data|models|\.tributary)$/.test(s),
    });
    // Two weeks backfilled from the CLI: 2024-01-10 has a sensor glitch and fails alone.
    const cli = path.join(ROOT, 'dist', 'cli.js');
    const first = spawnSync(
      process.execPath,
      [cli, 'backfill', 'daily.pipeline.yaml', '--workers', '2'],
      {
        cwd: ws,
        encoding: 'utf8',
      },
    );
    assert.equal(first.status, 1, first.stdout + first.stderr);
    const vscode = await openVsCode({
      workspace: ws,
      env: { TRIBUTARY_OPEN_ON_START: 'daily.pipeline.yaml' },
    });
    const { page } = vscode;
    try {
      const graph = await graphFrame(page);
      const summary = (task: string) =>
        graph.locator(`.partition-strip[data-strip="${task}"]`).getAttribute('data-summary');
      assert.equal(await summary('ingest'), '14 complete');
      assert.equal(await summary('validate'), '13 complete · 1 failed');
      // The failed day's features never ran (its validation failed); the other days are complete.
      assert.match((await summary('features')) ?? '', /^13 complete · 1 (never run|stale|failed)$/);
      assert.equal(
        await graph.locator('.partition-strip[data-strip="train"]').count(),
        0,
        'train is over all days',
      );
      // The nodes show the latest day; the picker says so.
      assert.equal(
        await graph.locator('.react-flow__node[data-id="validate"]').getAttribute('data-status'),
        'complete',
      );
      await page.waitForTimeout(800);
      await shot(page, 'vscode-partitions.png', true);
      // A click on the strip's failed day shows that day: validate is failed there.
      const box = (await graph.locator('.partition-strip[data-strip="validate"]').boundingBox())!;
      await page.mouse.click(box.x + ((9 + 0.5) / 14) * box.width, box.y + box.height / 2);
      await graph
        .locator('.react-flow__node[data-id="validate"][data-status="failed"]')
        .waitFor({ timeout: 20_000 });
      await shot(page, 'vscode-partitions-picked.png');

      // The glitch fixed in the drop; Tributary: Backfill… from the palette, the second week.
      const bad = path.join(ws, 'incoming', '2024-01-10.csv');
      fs.writeFileSync(bad, fs.readFileSync(bad, 'utf8').replace('999.0', '4.2'));
      await graph.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
      await page.keyboard.press('F1');
      await page.keyboard.type('Tributary: Backfill');
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'Tributary: Backfill' })
        .first()
        .waitFor({ timeout: 30_000 });
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'first partition' }).waitFor();
      // A bad key is refused in the box, with the CLI's words.
      await page.keyboard.press('Control+A');
      await page.keyboard.type('2024-02-30');
      await page
        .locator('.quick-input-widget', { hasText: /2024-02-30|29 days|not a/ })
        .first()
        .waitFor({ timeout: 10_000 });
      await shot(page, 'vscode-backfill-invalid.png');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('2024-01-08');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'last partition' }).waitFor();
      await page.keyboard.press('Enter');
      // The status bar counts partitions; the strips turn complete.
      await page
        .locator('.statusbar-item', { hasText: /\d+\/\d+ partitions/ })
        .first()
        .waitFor({ timeout: 60_000 });
      await graph
        .locator('.partition-strip[data-strip="validate"][data-summary="14 complete"]')
        .waitFor({ timeout: 120_000 });
      await page
        .locator('.statusbar-item', { hasText: 'run succeeded' })
        .first()
        .waitFor({ timeout: 60_000 });
      assert.match(
        (await page
          .locator('.statusbar-item', { hasText: 'run succeeded' })
          .first()
          .textContent()) ?? '',
        /\d+\/\d+ partitions/,
      );
      assert.equal(await summary('features'), '14 complete');
      await page.waitForTimeout(800);
      await shot(page, 'vscode-partitions-after-backfill.png');
    } catch (e) {
      await page
        .screenshot({ path: path.join(ROOT, 'test-results', 'partitions-e2e-failure.png') })
        .catch(() => {});
      throw e;
    } finally {
      await vscode.stop();
    }
  },
);
