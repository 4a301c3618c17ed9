/** Above each task: ▶ Run · ↻ Rerun · ⇣ With downstream, then its last result and duration. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatDuration } from '../core/durations';
import { isPipeline, validationOf } from './pipelines';
import type { RunRegistry } from './runs';

function lastResults(file: string): Record<string, { status: string; durationMs?: number }> {
  try {
    const state = JSON.parse(
      fs.readFileSync(path.join(path.dirname(file), '.tributary', 'state.json'), 'utf8'),
    ) as {
      pipelines?: Record<
        string,
        { tasks?: Record<string, { status: string; durationMs?: number }> }
      >;
    };
    return state.pipelines?.[path.basename(file)]?.tasks ?? {};
  } catch {
    return {};
  }
}

export class TaskCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(runs: RunRegistry) {
    runs.onUpdate((u) => {
      if (
        u.event.event === 'task_finished' ||
        u.event.event === 'task_started' ||
        u.event.event === 'run_finished'
      )
        this.changed.fire();
    });
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    if (!isPipeline(doc)) return [];
    const results = doc.uri.scheme === 'file' ? lastResults(doc.uri.fsPath) : {};
    const lenses: vscode.CodeLens[] = [];
    for (const t of validationOf(doc).pipeline.tasks) {
      const range = new vscode.Range(
        doc.positionAt(t.keyRange.start),
        doc.positionAt(t.keyRange.end),
      );
      const args = [doc.uri, t.name];
      lenses.push(
        new vscode.CodeLens(range, {
          title: '▶ Run',
          command: 'tributary.runTask',
          arguments: args,
          tooltip: `Run ${t.name} (and what it needs, if incomplete)`,
        }),
        new vscode.CodeLens(range, {
          title: '↻ Rerun',
          command: 'tributary.rerunTask',
          arguments: args,
          tooltip: `Run ${t.name} even if complete`,
        }),
        new vscode.CodeLens(range, {
          title: '⇣ With downstream',
          command: 'tributary.runDownstream',
          arguments: args,
        }),
      );
      const last = results[t.name];
      if (last) {
        const icon =
          last.status === 'success'
            ? '$(pass)'
            : last.status === 'failed'
              ? '$(error)'
              : '$(sync~spin)';
        lenses.push(
          new vscode.CodeLens(range, {
            title: `${icon} ${last.status}${last.durationMs !== undefined ? ` in ${formatDuration(last.durationMs)}` : ''}`,
            command: '',
          }),
        );
      }
    }
    return lenses;
  }
}
