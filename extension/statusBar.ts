/** The status bar: "Tributary 3/7" while a run goes (also one started outside VS Code; click to stop); after it, how the last run ended (also after a reload). */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { countRun } from '../core/run/state';
import { runHistory } from '../runner/api';
import { activePipelineUri } from './pipelines';
import type { RunRegistry } from './runs';
import { BackfillProgress } from './partitions';

const OUTCOME: Record<string, [icon: string, words: string]> = {
  success: ['pass', 'succeeded'],
  failed: ['error', 'failed'],
  cancelled: ['circle-slash', 'was cancelled'],
  interrupted: ['warning', 'was interrupted'],
  // history's word for the run holding the lock (before the follower has picked it up)
  running: ['sync~spin', 'is running'],
};

/** Text and tooltip for a finished run of `file`. */
export function outcomeText(file: string, status: string, counts?: string): [string, string] {
  const [icon, words] = OUTCOME[status] ?? ['info', status];
  const name = path.basename(file);
  return [
    `$(${icon}) Tributary: run ${words}${counts ? ` (${counts})` : ''}`,
    `Last run of ${name} ${words}. Click to open its graph.`,
  ];
}

export function statusBar(runs: RunRegistry): vscode.Disposable {
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  item.name = 'Tributary run';
  const finished = (file: string, status: string, counts?: string) => {
    [item.text, item.tooltip] = outcomeText(file, status, counts);
    item.command = {
      command: 'tributary.openGraph',
      title: 'Open Graph',
      arguments: [vscode.Uri.file(file)],
    };
    item.backgroundColor =
      status === 'failed' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    item.show();
  };
  /** No run going: the last run of the pipeline in the active editor (text or graph), from its records. */
  const fromRecords = () => {
    const uri = activePipelineUri();
    if (!uri || uri.scheme !== 'file' || runs.anyActive().length > 0) return;
    const last = runHistory(uri.fsPath, 1)[0];
    if (last) finished(uri.fsPath, last.status);
  };
  const backfill = new BackfillProgress();
  const sub = runs.onUpdate((u) => {
    const c = countRun(u.state);
    // A partitioned run (a backfill): partitions done of all, beside the task count.
    const b = backfill.update(u.event);
    const parts = b ? ` · ${b.done}/${b.total} partitions` : '';
    if (u.event.event === 'run_finished') {
      // A followed run whose runner died ends as cancelled, its message saying it was interrupted.
      const status = u.event.message?.startsWith('interrupted:') ? 'interrupted' : u.event.status;
      finished(u.file, status, `${c.done}/${c.total}${parts}`);
      return;
    }
    item.text = `$(sync~spin) Tributary ${c.done}/${c.total}${parts}`;
    const ext = runs.active(u.file)?.external;
    // A run from a terminal, cron or serve: say so (Stop signals its runner when it can).
    item.tooltip = ext
      ? `${c.running} running · started outside VS Code${ext.pid ? ` (pid ${ext.pid}${ext.host ? ` on ${ext.host}` : ''})` : ''} · click to stop`
      : `${c.running} running · click to stop`;
    item.command = 'tributary.stopRun';
    item.backgroundColor = undefined;
    item.show();
  });
  fromRecords();
  return vscode.Disposable.from(
    item,
    sub,
    vscode.window.onDidChangeActiveTextEditor(() => fromRecords()),
    vscode.window.tabGroups.onDidChangeTabs(() => fromRecords()),
  );
}
