/** The "Tributary" view: pipelines of the workspace, their tasks with status, and recent runs. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runHistory } from '../runner/api';
import { lastStatesOf } from './lastStates';
import type { RunRegistry } from './runs';

type Item =
  | { kind: 'pipeline'; uri: vscode.Uri }
  | { kind: 'task'; uri: vscode.Uri; name: string; status?: string }
  | { kind: 'runs'; uri: vscode.Uri }
  | { kind: 'run'; label: string; status: string };

const ICON: Record<string, string> = {
  success: 'pass',
  failed: 'error',
  running: 'sync~spin',
  complete: 'check',
  upstream_failed: 'debug-disconnect',
  cancelled: 'circle-slash',
  timed_out: 'watch',
  interrupted: 'warning',
};

export class PipelineTree implements vscode.TreeDataProvider<Item> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly runs: RunRegistry) {
    runs.onUpdate(() => this.changed.fire());
  }

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(parent?: Item): Promise<Item[]> {
    if (!parent) {
      const files = await vscode.workspace.findFiles(
        '**/*.pipeline.{yaml,yml}',
        '**/node_modules/**',
        100,
      );
      return files.map((uri) => ({ kind: 'pipeline', uri }));
    }
    if (parent.kind === 'pipeline') {
      const doc = await vscode.workspace.openTextDocument(parent.uri);
      const { validationOf } = await import('./pipelines');
      const file = parent.uri.fsPath;
      const state = this.runs.stateOf(file);
      const names = validationOf(doc).pipeline.tasks.map((t) => t.name);
      // The live run where it has news of a task, else the task's last state from the records.
      const last = lastStatesOf(file, names, this.runs.active(file) ? state?.id : undefined);
      const tasks: Item[] = names.map((name) => {
        const live = state?.tasks[name]?.state.status;
        const status =
          live && live !== 'pending' && live !== 'complete' ? live : (last[name]?.status ?? live);
        return { kind: 'task', uri: parent.uri, name, ...(status ? { status } : {}) };
      });
      return [...tasks, { kind: 'runs', uri: parent.uri }];
    }
    if (parent.kind === 'runs') {
      return runHistory(parent.uri.fsPath, 10).map((r) => ({
        kind: 'run',
        label: `${r.started.replace('T', ' ').slice(0, 19)} · ${r.tasks.length} ran`,
        status: r.status,
      }));
    }
    return [];
  }

  getTreeItem(item: Item): vscode.TreeItem {
    switch (item.kind) {
      case 'pipeline': {
        const t = new vscode.TreeItem(
          path.basename(item.uri.fsPath),
          vscode.TreeItemCollapsibleState.Expanded,
        );
        t.resourceUri = item.uri;
        t.contextValue = 'pipeline';
        t.command = { command: 'vscode.open', title: 'Open', arguments: [item.uri] };
        return t;
      }
      case 'task': {
        const t = new vscode.TreeItem(item.name);
        t.description = item.status ?? '';
        t.iconPath = new vscode.ThemeIcon(ICON[item.status ?? ''] ?? 'circle-large-outline');
        t.contextValue = 'task';
        t.command = {
          command: 'tributary.runTask',
          title: 'Run',
          arguments: [item.uri, item.name],
        };
        t.tooltip = `Click to run ${item.name}`;
        return t;
      }
      case 'runs':
        return new vscode.TreeItem('Recent runs', vscode.TreeItemCollapsibleState.Collapsed);
      case 'run': {
        const t = new vscode.TreeItem(item.label);
        t.description = item.status;
        t.iconPath = new vscode.ThemeIcon(ICON[item.status] ?? 'circle');
        return t;
      }
    }
  }
}
