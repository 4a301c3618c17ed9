/** What a person sees in code-server while `tributary run` / `backfill` run in a terminal outside VS Code: the graph, strips and status bar follow live. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { openVsCode, ROOT, shotsDir } from './harness';

const SHOTS = shotsDir();
/** Every step's picture for the session to look at (the docs take one, in SHOTS). */
const LOOK =
  process.env.TRIBUTARY_LOOK_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-look-'));
const CLI = path.join(ROOT, 'dist', 'cli.js');

const HOLD = `pipeline: hold
tasks:
  extract:
    run: echo rows > rows.txt
    outputs: [rows.txt]
  hold:
    needs: [extract]
    run: while [ ! -f go ]; do sleep 0.05; done; echo held > held.txt
    outputs: [held.txt]
  report:
    needs: [hold]
    run: echo report > report.txt
    outputs: [report.txt]
`;

async function shot(page: Page, name: string, docs = false): Promise<void> {
  fs.mkdirSync(LOOK, { recursive: true });
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(LOOK, name) });
  if (docs) fs.copyFileSync(path.join(LOOK, name), path.join(SHOTS, 'vscode-external-run.png'));
}

async function frameWith(page: Page, selector: string): Promise<Frame> {
  const start = Date.now();
  for (;;) {
    for (const f of page.frames())
      if (
        await f
          .locator(selector)
          .count()
          .catch(() => 0)
      )
        return f;
    if (Date.now() - start > 90_000) throw new Error(`the graph did not show ${selector}`);
    await page.waitForTimeout(250);
  }
}

/** As a terminal would: a process VS Code did not start. */
function tributary(cwd: string, ...args: string[]): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], { cwd, stdio: 'ignore' });
}

const node = (g: Frame, task: string, status: string) =>
  g.locator(`.react-flow__node[data-id="${task}"][data-status="${status}"]`);

test(
  'e2e: a `tributary run` from a terminal shows live in the open graph and the status bar',
  { timeout: 600_000 },
  async () => {
    const ws = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-live-')), 'hold');
    fs.mkdirSync(ws);
    fs.writeFileSync(path.join(ws, 'hold.pipeline.yaml'), HOLD);
    const vscode = await openVsCode({
      workspace: ws,
      env: { TRIBUTARY_OPEN_ON_START: 'hold.pipeline.yaml' },
    });
    const { page } = vscode;
    let child: ChildProcess | undefined;
    try {
      const g = await frameWith(page, '.react-flow__node[data-id="hold"]');
      await page.waitForTimeout(1500); // the follower's first look at the folder
      child = tributary(ws, 'run', 'hold.pipeline.yaml');
      await node(g, 'hold', 'running').waitFor({ timeout: 30_000 });
      assert.equal(await node(g, 'extract', 'success').count(), 1);
      await page
        .locator('.statusbar-item', { hasText: /Tributary 1\/3/ })
        .first()
        .waitFor({ timeout: 10_000 });
      await shot(page, 'external-run-running.png', true);
      fs.writeFileSync(path.join(ws, 'go'), '');
      await node(g, 'report', 'success').waitFor({ timeout: 30_000 });
      assert.equal(await node(g, 'hold', 'success').count(), 1);
      await page
        .locator('.statusbar-item', { hasText: 'run succeeded' })
        .first()
        .waitFor({ timeout: 10_000 });
      await shot(page, 'external-run-done.png');

      // Again, and the terminal's runner killed with -9: the graph and status bar say interrupted.
      for (const f of ['go', 'held.txt', 'report.txt']) fs.rmSync(path.join(ws, f));
      child = tributary(ws, 'run', 'hold.pipeline.yaml');
      await node(g, 'hold', 'running').waitFor({ timeout: 30_000 });
      child.kill('SIGKILL');
      await page
        .locator('.statusbar-item', { hasText: 'run was interrupted' })
        .first()
        .waitFor({ timeout: 15_000 });
      await node(g, 'hold', 'cancelled').waitFor({ timeout: 10_000 });
      await shot(page, 'external-run-killed.png');
    } catch (e) {
      await shot(page, 'external-run-failure.png').catch(() => {});
      throw e;
    } finally {
      child?.kill('SIGKILL');
      await vscode.stop();
    }
  },
);

test(
  'e2e: a `tributary backfill` of the daily demo from a terminal fills the open graph’s strips live',
  { timeout: 600_000 },
  async () => {
    const ws = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-live-')), 'daily');
    fs.cpSync(path.join(ROOT, 'examples', 'daily'), ws, {
      recursive: true,
      filter: (s) => !/\/(data|models|\.tributary)$/.test(s),
    });
    // A gate before each day's ingest: the test sees days in flight, then lets them go.
    const file = path.join(ws, 'daily.pipeline.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const gated = text.replace(
      'run: python3 steps/ingest.py',
      'run: while [ ! -f gate ]; do sleep 0.05; done; python3 steps/ingest.py',
    );
    assert.notEqual(gated, text, 'the demo still starts ingest this way');
    fs.writeFileSync(file, gated);
    const vscode = await openVsCode({
      workspace: ws,
      env: { TRIBUTARY_OPEN_ON_START: 'daily.pipeline.yaml' },
    });
    const { page } = vscode;
    let child: ChildProcess | undefined;
    try {
      const g = await frameWith(page, '.partition-strip[data-strip="ingest"]');
      const summary = (task: string) =>
        g.locator(`.partition-strip[data-strip="${task}"]`).getAttribute('data-summary');
      assert.equal(await summary('ingest'), '14 never run');
      await page.waitForTimeout(1500);
      child = tributary(ws, 'backfill', 'daily.pipeline.yaml', '--workers', '2');
      await g
        .locator('.partition-strip[data-strip="ingest"][data-summary*="running"]')
        .waitFor({ timeout: 30_000 });
      assert.match((await summary('ingest')) ?? '', /2 running/);
      await page
        .locator('.statusbar-item', { hasText: /0\/14 partitions/ })
        .first()
        .waitFor({ timeout: 10_000 });
      await shot(page, 'external-backfill-running.png');
      fs.writeFileSync(path.join(ws, 'gate'), '');
      // Cells turn as days finish (before the run's end re-reads the records).
      await g
        .locator('.partition-strip[data-strip="features"][data-summary*="success"]')
        .waitFor({ timeout: 60_000 });
      await shot(page, 'external-backfill-midway.png');
      // The demo's 2024-01-10 has a sensor glitch: its validation fails alone.
      await g
        .locator('.partition-strip[data-strip="validate"][data-summary="13 complete · 1 failed"]')
        .waitFor({ timeout: 120_000 });
      assert.equal(await summary('ingest'), '14 complete');
      await page
        .locator('.statusbar-item', { hasText: 'run failed' })
        .first()
        .waitFor({ timeout: 30_000 });
      await shot(page, 'external-backfill-done.png');
    } catch (e) {
      await shot(page, 'external-backfill-failure.png').catch(() => {});
      throw e;
    } finally {
      child?.kill('SIGKILL');
      await vscode.stop();
    }
  },
);
