/** Partitions in VS Code: the graph's strips from the records, the partition and range pickers, backfill progress. */
import * as vscode from 'vscode';
import type { Pipeline } from '../core/model';
import {
  allKeys,
  type Partitions,
  resolvePartitions,
  selectKeys,
} from '../core/partitions/partitions';
import type { PartitionStrips } from '../core/protocol/webview';
import type { RunEvent } from '../core/run/events';
import { type InstanceState, partitionStatus } from '../runner/api';
import { ensureTrusted, startRun } from './commands';
import { pipelineUri, validationOf } from './pipelines';
import type { RunRegistry } from './runs';

/** The most recent partitions a strip shows (a strip of 3 years daily is 1,096). */
const STRIP_KEYS = 5000;
const CHAR: Record<InstanceState, string> = {
  complete: 'c',
  stale: 's',
  failed: 'f',
  'never run': '.',
};

/** Each partitioned task's state per partition, for the graph; undefined when not partitioned. */
export async function partitionStripsOf(file: string): Promise<PartitionStrips | undefined> {
  const doc = await partitionStatus(file);
  if (!doc) return undefined;
  const keys = doc.partitions.slice(-STRIP_KEYS);
  const tasks: Record<string, string> = {};
  for (const row of doc.tasks) {
    if (!('partitioned' in row)) continue;
    tasks[row.task] = keys.map((k) => CHAR[row.partitions[k] ?? 'never run']).join('');
  }
  return { keys, tasks };
}

/** The pipeline's partitions, or a one-line reason. */
export function partitionsOfPipeline(p: Pipeline): Partitions | string {
  if (!p.partitions) return `${p.name || 'this pipeline'} has no partitions: section`;
  return resolvePartitions(p.partitions);
}

/** "Run partition…": a quick pick of the partitions so far, newest first (the shown one on top). */
export async function askPartition(p: Pipeline, shown?: string): Promise<string | undefined> {
  const parts = partitionsOfPipeline(p);
  if (typeof parts === 'string') {
    void vscode.window.showErrorMessage(`Tributary: ${parts}`);
    return undefined;
  }
  const keys = allKeys(parts, Date.now()).reverse();
  if (shown && keys.includes(shown)) {
    keys.splice(keys.indexOf(shown), 1);
    keys.unshift(shown);
  }
  const pick = await vscode.window.showQuickPick(keys, {
    placeHolder: 'Which partition? (newest first)',
  });
  return pick;
}

/** "Backfill…": the range, two input boxes checked as the CLI checks --from/--to. */
export async function askRange(p: Pipeline): Promise<{ from: string; to: string } | undefined> {
  const parts = partitionsOfPipeline(p);
  if (typeof parts === 'string') {
    void vscode.window.showErrorMessage(`Tributary: ${parts}`);
    return undefined;
  }
  const keys = allKeys(parts, Date.now());
  if (keys.length === 0) {
    void vscode.window.showErrorMessage('Tributary: no partition has finished yet');
    return undefined;
  }
  const check = (sel: { from?: string; to?: string }) => {
    const r = selectKeys(parts, sel, Date.now());
    return typeof r === 'string' ? r : undefined;
  };
  const last = keys[keys.length - 1]!;
  const from = await vscode.window.showInputBox({
    title: 'Backfill: first partition',
    prompt: `From (${keys[0]} … ${last})`,
    value: keys[Math.max(0, keys.length - 7)],
    // Stays open while the person looks at the graph's strips for the day to start from.
    ignoreFocusOut: true,
    validateInput: (v) => check({ from: v.trim() }),
  });
  if (from === undefined) return undefined;
  const to = await vscode.window.showInputBox({
    title: 'Backfill: last partition (included)',
    prompt: `To (${from.trim()} … ${last})`,
    value: last,
    ignoreFocusOut: true,
    validateInput: (v) => check({ from: from.trim(), to: v.trim() }),
  });
  if (to === undefined) return undefined;
  return { from: from.trim(), to: to.trim() };
}

/** Partitions done in a partitioned run: each partition is done when all its instances ended. */
export class BackfillProgress {
  private left = new Map<string, Set<string>>();
  private total = 0;

  /** The progress after this event, or undefined when the run is not partitioned. */
  update(e: RunEvent): { done: number; total: number } | undefined {
    if (e.event === 'run_started') {
      this.left.clear();
      this.total = e.partitions?.length ?? 0;
      for (const id of e.tasks) {
        const at = id.lastIndexOf('@');
        if (at < 0) continue;
        const key = id.slice(at + 1);
        const set = this.left.get(key) ?? new Set<string>();
        set.add(id.slice(0, at));
        this.left.set(key, set);
      }
    } else if (
      (e.event === 'task_finished' || e.event === 'task_skipped') &&
      e.partition !== undefined
    ) {
      this.left.get(e.partition)?.delete(e.task);
    } else if (e.event === 'task_retry' && e.partition !== undefined) {
      this.left.get(e.partition)?.add(e.task);
    }
    if (this.total === 0) return undefined;
    let open = 0;
    for (const s of this.left.values()) if (s.size > 0) open++;
    return { done: this.total - open, total: this.total };
  }
}

/** Asks the range, then runs `tributary backfill` like any run (refused in a restricted window first). */
export async function backfill(
  runs: RunRegistry,
  uri: vscode.Uri,
  task?: string,
): Promise<boolean> {
  if (!ensureTrusted()) return false;
  const doc = await vscode.workspace.openTextDocument(uri);
  const range = await askRange(validationOf(doc).pipeline);
  if (!range) return false;
  return startRun(runs, uri, { ...(task ? { tasks: [task] } : {}), backfill: range });
}

/** "Run partition…": asks which partition, then `tributary run --partition KEY [TASK]`. */
export async function runPartition(
  runs: RunRegistry,
  uri: vscode.Uri,
  task?: string,
  shown?: string,
): Promise<boolean> {
  if (!ensureTrusted()) return false;
  const doc = await vscode.workspace.openTextDocument(uri);
  const key = await askPartition(validationOf(doc).pipeline, shown);
  if (!key) return false;
  return startRun(runs, uri, { ...(task ? { tasks: [task] } : {}), partitions: [key] });
}

/** "Tributary: Backfill…" (and its status bar progress lives in statusBar.ts). */
export function registerBackfillCommand(runs: RunRegistry): vscode.Disposable {
  return vscode.commands.registerCommand('tributary.backfill', async (arg?: unknown) => {
    const uri = await pipelineUri(arg);
    if (!uri) {
      void vscode.window.showInformationMessage('Open a *.pipeline.yaml file first.');
      return false;
    }
    return backfill(runs, uri);
  });
}
