/** A person with a pipeline whose YAML does not parse, in a real VS Code: the graph says where, and Run all says why nothing ran. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { openVsCode, ROOT } from './harness';
import { command, frameWith } from './workbench';

const graphFrame = (page: Page, timeoutMs?: number) =>
  frameWith(page, '#run-all', 'its toolbar', timeoutMs);

test(
  'e2e: a YAML error is said over the graph, and Run all tells why nothing ran (not only in a hidden terminal)',
  // The first test to open VS Code in a fresh clone also installs code-server (2 minutes).
  { timeout: 600_000 },
  async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-broken-'));
    // transform's inputs lose their closing bracket (line 7).
    fs.writeFileSync(
      path.join(workspace, 'broken.pipeline.yaml'),
      [
        'pipeline: broken',
        'tasks:',
        '  extract:',
        '    run: echo extract',
        '  transform:',
        '    run: echo transform',
        '    needs: [extract',
        '  report:',
        '    run: echo report',
        '',
      ].join('\n'),
    );
    const vscode = await openVsCode({
      workspace,
      env: { TRIBUTARY_OPEN_ON_START: 'broken.pipeline.yaml' },
    });
    const { page } = vscode;
    try {
      const graph = await graphFrame(page);
      const banner = graph.locator('#yaml-error');
      await banner.waitFor({ timeout: 30_000 });
      assert.match((await banner.textContent()) ?? '', /does not parse at line \d+, column \d+/);

      // The toolbar's problem count opens the Problems list, which names the error.
      await graph.locator('#problems').click();
      await page
        .locator('.markers-panel .monaco-list-row', { hasText: 'yaml-syntax' })
        .first()
        .waitFor({ timeout: 30_000 });

      await graph.locator('#run-all').click();
      // The graph is in view, so the terminal stays closed: the reason is a notification.
      await command(page, 'Notifications: Show Notifications');
      const item = page.locator('.notifications-center .notification-list-item', {
        hasText: 'did not run',
      });
      await item.first().waitFor({ timeout: 30_000 });
      assert.match(
        (await item.first().textContent()) ?? '',
        /broken\.pipeline\.yaml did not run: invalid pipeline: .*broken\.pipeline\.yaml:\d+:\d+/,
      );
      // Nothing ran: no run record was written.
      assert.equal(fs.existsSync(path.join(workspace, '.tributary', 'runs')), false);
    } catch (e) {
      await page
        .screenshot({ path: path.join(ROOT, 'test-results', 'broken-yaml-failure.png') })
        .catch(() => {});
      throw e;
    } finally {
      await vscode.stop();
    }
  },
);
