/** What every extension-host suite needs: the workspace folder, the extension's API, waiting. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TributaryApi } from '../../../extension/main';

export function folder(): string {
  const f = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (!f) throw new Error('the tests need a workspace folder');
  return f;
}

export async function api(): Promise<TributaryApi> {
  const ext = vscode.extensions.getExtension<TributaryApi>('tributary.tributary');
  assert.ok(ext, 'the extension is installed');
  return ext.isActive ? ext.exports : ext.activate();
}

/** Polls `probe` until it returns something truthy (a loaded machine is slow, never a reason to fail). */
export async function waitFor<T>(
  probe: () => T | undefined | false,
  what: string,
  timeoutMs = 40_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
