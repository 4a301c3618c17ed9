/**
 * A person edits a data team's YAML from the graph in a real VS Code (code-server + Chromium):
 * edges onto a task with merged defaults and onto a flow-map task, a cycle refused, a delete
 * taken back with one Ctrl+Z, the text typed and the graph following, an edge drawn meanwhile,
 * an edge clicked and deleted.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { openVsCode, ROOT, shotsDir } from './harness';
import { frameWith } from './workbench';

const SHOTS = shotsDir();

const TEAM = `# Daily sales pipeline — owned by data-eng
pipeline: sales

x-defaults: &defaults
  retries: 2
  timeout: 10m

tasks:
  # ---- ingest ----
  setup: {run: echo setup}
  extract:            # pulls from the API
    <<: *defaults
    run: |
      echo extract \\
        --since yesterday
    outputs: [data/raw.csv]   # raw dump

  "clean-data":
    run: echo clean
    needs: extract    # scalar needs
    outputs:
      - data/clean.csv  # cleaned

  enrich: {run: echo enrich, needs: [clean-data]}

  # ---- model ----
  train:
    needs: [extract, "clean-data"]  # flow list
    run: echo train

  score:
    needs:
      # the model first
      - train
      - enrich   # enrichment
    run: echo score

  zürich_report:
    needs: [score]
    run: echo done
# trailing comment
`;

/** A node's box once it stopped moving (a new layout or a refit moves the view for a moment). */
async function settledBox(graph: Frame, id: string) {
  const node = graph.locator(`.react-flow__node[data-id="${id}"]`);
  let last = '';
  for (let i = 0; i < 200; i++) {
    const b = await node.boundingBox();
    const key = JSON.stringify(b);
    if (b && key === last) return b;
    last = key;
    await graph.page().waitForTimeout(150);
  }
  throw new Error(`${id} did not settle`);
}

/** Drags from `from`'s output handle onto `to`'s body, as a person connects two nodes in view. */
async function connect(page: Page, graph: Frame, from: string, to: string): Promise<void> {
  // The whole canvas (no panel under it), the graph fitted: both nodes where a person sees them.
  await graph.locator('.react-flow__pane').click({ position: { x: 4, y: 4 } });
  await graph.locator('aside.panel').waitFor({ state: 'detached' });
  await graph.locator('.app[data-layout="final"]').waitFor();
  await graph.locator('#fit').click();
  await settledBox(graph, from);
  const target = await settledBox(graph, to);
  const canvas = await graph.locator('.react-flow').boundingBox();
  const handle = await graph
    .locator(`.react-flow__node[data-id="${from}"] .react-flow__handle.source`)
    .first()
    .boundingBox();
  assert.ok(handle && canvas, `${from} is drawn`);
  const inside = (y: number) => y > canvas.y && y < canvas.y + canvas.height;
  assert.ok(inside(handle.y) && inside(target.y + target.height / 2), 'both nodes are in view');
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
  await page.mouse.up();
}

/** An edge of the graph (an SVG group: attached, never "visible" to Playwright). */
const edge = (graph: Frame, from: string, to: string) =>
  graph.locator(`.react-flow__edge[aria-label="Edge from ${from} to ${to}"]`);

/** Saves the document and waits until the file on disk is `want` (VS Code writes it a little later). */
async function savedAs(page: Page, file: string, want: string, what: string): Promise<void> {
  // Ctrl+S in the YAML editor (the palette's "File: Save" may pick another "Save" row first).
  await page.keyboard.press('Control+1');
  await page.locator('.monaco-editor.focused').first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Control+S');
  for (let i = 0; i < 120 && fs.readFileSync(file, 'utf8') !== want; i++)
    await page.waitForTimeout(250);
  assert.equal(fs.readFileSync(file, 'utf8'), want, what);
}

test(
  'e2e: a data team edits its YAML from the graph — every comment kept, a cycle refused, one Ctrl+Z, the text and the graph in step',
  { timeout: 600_000 },
  async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-team-'));
    const file = path.join(workspace, 'sales.pipeline.yaml');
    fs.writeFileSync(file, TEAM);
    const vscode = await openVsCode({
      workspace,
      env: { TRIBUTARY_OPEN_ON_START: 'sales.pipeline.yaml' },
    });
    const { page } = vscode;
    try {
      const graph = await frameWith(page, '.react-flow__node[data-id="zürich_report"]', 'sales');
      await graph.locator('.app[data-layout="final"]').waitFor();
      await page.screenshot({ path: path.join(SHOTS, 'team-graph.png') });

      // extract takes its retries and timeout from <<: *defaults: its new need goes inside it.
      await connect(page, graph, 'setup', 'extract');
      await edge(graph, 'setup', 'extract').waitFor({ state: 'attached', timeout: 30_000 });
      let want = TEAM.replace(
        '  extract:            # pulls from the API\n',
        '  extract:            # pulls from the API\n    needs: [setup]\n',
      );
      // enrich is written as a flow map: its flow list grows in place.
      await connect(page, graph, 'extract', 'enrich');
      await edge(graph, 'extract', 'enrich').waitFor({ state: 'attached', timeout: 30_000 });
      want = want.replace('needs: [clean-data]}', 'needs: [clean-data, extract]}');
      await savedAs(page, file, want, 'both edges written, nothing else changed');

      // score already depends on extract: the edge back is refused, said over the graph, not written.
      await connect(page, graph, 'score', 'extract');
      const notice = graph.locator('.notice[role="alert"]');
      await notice.waitFor({ timeout: 30_000 });
      assert.match(
        (await notice.textContent()) ?? '',
        /'extract' cannot need 'score': that would make a cycle \(score → extract → .*score\)/,
      );
      await page.screenshot({ path: path.join(SHOTS, 'team-cycle-refused.png') });
      await savedAs(page, file, want, 'the refused edge is not written');

      // Delete clean-data (its lines, and the needs of enrich and train): one Ctrl+Z takes it all back.
      await graph.locator('.react-flow__node[data-id="clean-data"]').click();
      await graph.locator('aside.panel').getByRole('button', { name: 'Delete' }).click();
      await graph.locator('#confirm-delete').click();
      await graph
        .locator('.react-flow__node[data-id="clean-data"]')
        .waitFor({ state: 'detached', timeout: 30_000 });
      assert.equal(await notice.count(), 0, 'the old refusal went with the next edit');
      await page.screenshot({ path: path.join(SHOTS, 'team-deleted.png') });
      // The keyboard in the graph's editor group (the graph is the active editor), then Ctrl+Z once.
      await page.keyboard.press('Control+2');
      await page
        .locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ })
        .waitFor({ state: 'detached', timeout: 10_000 });
      await page.keyboard.press('Control+Z');
      await graph.locator('.react-flow__node[data-id="clean-data"]').waitFor({ timeout: 30_000 });
      await edge(graph, 'clean-data', 'enrich').waitFor({ state: 'attached', timeout: 30_000 });
      await savedAs(page, file, want, 'one Ctrl+Z in the graph gives the text back whole');

      // The person renames the report in the text: the graph follows without a save.
      const line = want.split('\n').indexOf('  zürich_report:') + 1;
      await page.keyboard.press('Control+1');
      await page.locator('.monaco-editor.focused').first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Control+G');
      await page.keyboard.type(String(line));
      await page.keyboard.press('Enter');
      await page.keyboard.press('End');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.type('weekly_report:');
      await graph
        .locator('.react-flow__node[data-id="weekly_report"]')
        .waitFor({ timeout: 30_000 });
      assert.equal(await graph.locator('.react-flow__node[data-id="zürich_report"]').count(), 0);
      // Unsaved, just typed: an edge drawn now goes into that text, the typing kept.
      await connect(page, graph, 'train', 'weekly_report');
      await edge(graph, 'train', 'weekly_report').waitFor({ state: 'attached', timeout: 30_000 });
      await page.screenshot({ path: path.join(SHOTS, 'team-typed-then-connected.png') });
      want = want.replace(
        '  zürich_report:\n    needs: [score]\n',
        '  weekly_report:\n    needs: [score, train]\n',
      );
      await savedAs(page, file, want, 'the typed name and the new edge are both in the file');

      // An edge taken away in the graph: a click on setup → extract, then Delete.
      await graph.locator('#fit').click();
      await settledBox(graph, 'setup');
      const line2 = (await edge(graph, 'setup', 'extract').boundingBox())!;
      await page.mouse.click(line2.x + line2.width / 2, line2.y + line2.height / 2);
      await graph
        .locator('.react-flow__edge.selected[aria-label="Edge from setup to extract"]')
        .waitFor({ state: 'attached', timeout: 10_000 });
      await page.keyboard.press('Delete');
      await edge(graph, 'setup', 'extract').waitFor({ state: 'detached', timeout: 30_000 });
      want = want.replace('    needs: [setup]\n', '');
      await savedAs(page, file, want, 'the removed edge is gone from the file, nothing else');
    } catch (e) {
      await page
        .screenshot({ path: path.join(ROOT, 'test-results', 'audit-graph-failure.png') })
        .catch(() => {});
      throw e;
    } finally {
      await vscode.stop();
    }
  },
);
