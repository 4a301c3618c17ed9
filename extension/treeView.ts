/** The "Tributary" view: pipelines of the workspace, their tasks with status, and recent runs. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runHistory } from '../runner/api';
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
      const state = this.runs.stateOf(parent.uri.fsPath);
      const tasks: Item[] = validationOf(doc).pipeline.tasks.map((t) => ({
        kind: 'task',
        uri: parent.uri,
        name: t.name,
        ...(state?.tasks[t.name] ? { status: state.tasks[t.name]!.state.status } : {}),
      }));
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
