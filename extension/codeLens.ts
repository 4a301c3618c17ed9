/** Above each task: ▶ Run · ↻ Rerun · ⇣ With downstream, then its last result and duration. */
import * as vscode from 'vscode';
import { lastStatesOf } from './lastStates';
import { lensResult } from './lensResult';
import { isPipeline, validationOf } from './pipelines';
import type { RunRegistry } from './runs';

export class TaskCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly runs: RunRegistry) {
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
    // What the graph shows: the live run's state, else the last from the run records (a
    // cancelled task is "cancelled", not the "failed" that .tributary/state.json keeps).
    const file = doc.uri.fsPath;
    const tasks = validationOf(doc).pipeline.tasks.map((t) => t.name);
    const live = this.runs.active(file) ? this.runs.stateOf(file) : undefined;
    const last = doc.uri.scheme === 'file' ? lastStatesOf(file, tasks, live?.id) : {};
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
      // The live run's word on the task once it started there (running, then how it ended).
      const now = live?.tasks[t.name]?.state;
      const shown =
        (now && lensResult(now.status, 'durationMs' in now ? now.durationMs : undefined)) ??
        lensResult(last[t.name]?.status, last[t.name]?.durationMs);
      if (shown) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: shown,
            command: '',
          }),
        );
      }
    }
    return lenses;
  }
}
