/** What a person does, in code-server and Chromium: squiggles and Problems, the graph beside, ▶ on a node, edit and undo. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { demoWorkspace, openVsCode, ROOT, shotsDir } from './harness';
import { command, frameWith } from './workbench';
const graphFrame = (page: Page, timeoutMs?: number) =>
  frameWith(page, '.react-flow__node[data-id="extract_files"]', 'the demo', timeoutMs);

/** README screenshots: docs/ only from `npm run screenshots`. */
const SHOTS = shotsDir();

/**
 * Puts the keyboard in the YAML editor (the first editor group). Not by clicking its middle:
 * that spot may hold a CodeLens ("▶ Run"), and a click there starts a run, saving the document.
 */
async function focusText(page: Page): Promise<void> {
  await page.keyboard.press('Control+1');
  await page.locator('.monaco-editor.focused').first().waitFor({ timeout: 10_000 });
}

async function editorText(page: Page): Promise<string> {
  return (await page.locator('.monaco-editor .view-lines').first().innerText()).replace(
    /\u00a0/g,
    ' ',
  );
}

test(
  'e2e: the demo in VS Code — squiggle, Problems, graph, run a node, edit and undo',
  { timeout: 600_000 },
  async () => {
    const vscode = await openVsCode({
      workspace: demoWorkspace(),
      env: { TRIBUTARY_OPEN_ON_START: 'weather.pipeline.yaml' },
    });
    const { page } = vscode;
    try {
      const graph = await graphFrame(page);
      assert.equal(
        await graph.locator('.react-flow__node[data-status]').first().getAttribute('data-status'),
        'pending',
      );
      await page.screenshot({ path: path.join(SHOTS, 'vscode-graph.png') });

      // Type a cycle: extract_files also reads what deploy writes. A squiggle and a Problems entry appear.
      const yaml = fs.readFileSync(path.join(vscode.workspace, 'weather.pipeline.yaml'), 'utf8');
      const line = yaml.split('\n').findIndex((l) => l === '    inputs: [incoming/]') + 1;
      await focusText(page);
      await page.keyboard.press('Control+G');
      await page.keyboard.type(String(line));
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.type(', deploy/current/');
      await page.locator('.monaco-editor .squiggly-error').first().waitFor({ timeout: 30_000 });
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'cycle' }).first();
      await row.waitFor({ timeout: 30_000 });
      assert.match(
        await row.innerText(),
        /cycle: extract_files → validate → .* → deploy → extract_files/,
      );
      await page.screenshot({ path: path.join(SHOTS, 'vscode-squiggle.png') });
      // Back to the demo as it was.
      await focusText(page);
      for (
        let i = 0;
        i < 3 && (await page.locator('.monaco-editor .squiggly-error').count()) > 0;
        i++
      )
        await page.keyboard.press('Control+Z');
      await page.waitForFunction(
        () => document.querySelectorAll('.monaco-editor .squiggly-error').length === 0,
        undefined,
        { timeout: 30_000 },
      );
      // Saved as it was: the run reads the file, whatever saved the cycle meanwhile.
      await focusText(page);
      await page.keyboard.press('Control+S');
      const demoFile = path.join(vscode.workspace, 'weather.pipeline.yaml');
      for (let i = 0; i < 40 && fs.readFileSync(demoFile, 'utf8') !== yaml; i++)
        await page.waitForTimeout(250);
      assert.equal(fs.readFileSync(demoFile, 'utf8'), yaml, 'the file is the demo again');

      // ▶ on a node: its output in the terminal, and the node turns green.
      await page.keyboard.press('Control+B'); // more room for the graph
      await graph.locator('#search input, #search').first().click();
      await page.keyboard.type('extract_files');
      await page.keyboard.press('Enter');
      await graph
        .locator('.react-flow__node[data-id="extract_files"] [data-action="run"]')
        .waitFor();
      await graph.locator('.react-flow__node[data-id="extract_files"] [data-action="run"]').click();
      // The graph is in view, so the terminal stays closed: the notification's Show Output opens it.
      await command(page, 'Notifications: Show Notifications');
      await page
        .locator('.notifications-center .notification-list-item', { hasText: 'Tributary: started' })
        .getByRole('button', { name: 'Show Output' })
        .first()
        .click({ timeout: 30_000 });
      // The center's own "Hide Notifications" (the palette may lose the keyboard to the terminal).
      await page
        .locator('.notifications-center .notifications-center-header a.action-label')
        .filter({ has: page.locator('.codicon-notifications-hide, .codicon-chevron-down') })
        .first()
        .click({ timeout: 10_000 })
        .catch(() => page.keyboard.press('Escape'));
      await page.locator('.notifications-center.visible').waitFor({ state: 'hidden' });
      await page
        .locator('.xterm-rows', { hasText: '[extract_files]' })
        .first()
        .waitFor({ timeout: 60_000 });
      await graph
        .locator('.react-flow__node[data-id="extract_files"][data-status="success"]')
        .waitFor({ timeout: 60_000 });
      assert.match(await page.locator('.xterm-rows').first().innerText(), /rows/);
      await page.screenshot({ path: path.join(SHOTS, 'vscode-run.png') });

      // Edit the graph (add a task): the YAML gains it; one undo in the text removes it and the node.
      await graph.locator('#add-task').click();
      await graph.locator('.react-flow__node[data-id="task_1"]').waitFor({ timeout: 30_000 });
      await focusText(page);
      await page.keyboard.press('Control+End');
      await page.waitForFunction(
        () =>
          (
            document.querySelector('.monaco-editor .view-lines') as HTMLElement | null
          )?.innerText.includes('task_1:'),
        undefined,
        { timeout: 30_000 },
      );
      await page.screenshot({ path: path.join(SHOTS, 'vscode-edit.png') });
      await page.keyboard.press('Control+Z');
      await graph
        .locator('.react-flow__node[data-id="task_1"]')
        .waitFor({ state: 'detached', timeout: 30_000 });
      assert.doesNotMatch(await editorText(page), /task_1/);
    } catch (e) {
      await page
        .screenshot({ path: path.join(ROOT, 'test-results', 'e2e-failure.png') })
        .catch(() => {});
      throw e;
    } finally {
      await vscode.stop();
    }
  },
);
