/** A real VS Code (code-server) with the extension loaded unpacked, driven by Debian's Chromium. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
// @ts-expect-error: a plain ES module shared with `npm start`.
import { startCodeServer, workbenchUrl } from './codeServer.mjs';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

export interface VsCode {
  browser: Browser;
  page: Page;
  workspace: string;
  logs: string[];
  stop(): Promise<void>;
}

/** A fresh copy of the demo (without outputs) as the workspace. */
export function demoWorkspace(): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-ws-')), 'weather');
  fs.cpSync(path.join(ROOT, 'examples', 'weather'), dir, {
    recursive: true,
    filter: (s) => !/\/(data|models|reports|deploy|\.tributary)$/.test(s),
  });
  return dir;
}

/** Bundles the extension-host suite; `folder` gives a caller its own bundle (suites may build at once). */
export async function buildSuite(folder = 'suite'): Promise<string> {
  const out = path.join(ROOT, 'out', 'test', folder, 'index.js');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'test', 'vscode', 'suite', 'index.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return out;
}

export async function openVsCode(o: {
  workspace: string;
  testsPath?: string;
  env?: Record<string, string>;
  /** False: Workspace Trust on and the folder untrusted (a restricted window). */
  trust?: boolean;
  onExit?: (code: number) => void;
}): Promise<VsCode> {
  const cs = await startCodeServer({
    workspace: o.workspace,
    trust: o.trust ?? true,
    settings: {
      'chat.disableAIFeatures': true,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'workbench.panel.defaultLocation': 'bottom',
    },
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const logs: string[] = [];
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) =>
    logs.push((args ?? []).map(String).join(' ')),
  );
  await page.exposeFunction('codeAutomationExit', (code: number) => o.onExit?.(code));
  await page.goto(
    workbenchUrl({
      ...cs,
      folder: o.workspace,
      extensionPath: ROOT,
      testsPath: o.testsPath,
      env: o.env,
    }),
  );
  await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
  return {
    browser,
    page,
    workspace: o.workspace,
    logs,
    stop: async () => {
      await browser.close().catch(() => {});
      cs.stop();
    },
  };
}

/** PIDs of live processes whose command line holds `marker`. */
export function processesWith(marker: string): string[] {
  return execFileSync('ps', ['-eo', 'stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes(marker) && !l.trim().startsWith('Z') && !l.includes('ps -eo'));
}

/** Where screenshots go: docs/ only from `npm run screenshots` (TRIBUTARY_SCREENSHOTS_DIR), else a temp folder. */
export function shotsDir(): string {
  const dir =
    process.env.TRIBUTARY_SCREENSHOTS_DIR ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-shots-'));
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
