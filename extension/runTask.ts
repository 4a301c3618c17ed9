/**
 * A run is a vscode.Task with a CustomExecution: its Pseudoterminal shows the runner's output
 * with coloured [task] prefixes; Ctrl+C in the terminal or closing it cancels the run.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { printable } from './printable';
import { paramArgs, type RunRequest } from './runSession';
import type { RunRegistry } from './runs';
import { settings } from './settings';
import { REFUSAL_TAIL, refusalOf } from './refusal';
import { revealKind, showRunTerminal } from './terminalReveal';

export const TASK_TYPE = 'tributary';

export interface TributaryTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  file: string;
  tasks?: string[];
  force?: boolean;
  downstream?: boolean;
  triggerFile?: string;
  partitions?: string[];
  from?: string;
  to?: string;
  /** `--param K=V` for each. */
  params?: Record<string, string>;
}

export function makeTask(
  runs: RunRegistry,
  def: TributaryTaskDefinition,
  scope: vscode.WorkspaceFolder | vscode.TaskScope = vscode.TaskScope.Workspace,
): vscode.Task {
  // The terminal's name: every part may come from a cloned repository (see printable).
  const label = printable(
    def.tasks?.length
      ? `${path.basename(def.file)}: ${def.tasks.join(', ')}${def.force ? ' (rerun)' : ''}${def.downstream ? ' + downstream' : ''}`
      : path.basename(def.file),
  );
  const parts = printable(
    def.from
      ? ` (backfill ${def.from} … ${def.to})`
      : def.partitions?.length
        ? ` (partition ${def.partitions.join(', ')})`
        : '',
  );
  const execution = new vscode.CustomExecution(async () =>
    terminalFor(runs, label + parts, {
      file: def.file,
      tasks: def.tasks ?? [],
      ...(def.force ? { force: true } : {}),
      ...(def.downstream ? { downstream: true } : {}),
      ...(def.triggerFile ? { triggerFile: def.triggerFile } : {}),
      ...(def.partitions?.length ? { partitions: def.partitions } : {}),
      ...(def.from && def.to ? { backfill: { from: def.from, to: def.to } } : {}),
      ...(def.params && Object.keys(def.params).length ? { params: def.params } : {}),
    }),
  );
  const task = new vscode.Task(def, scope, label + parts, 'tributary', execution);
  task.presentationOptions = {
    reveal: revealKind(),
    panel: vscode.TaskPanelKind.Dedicated,
    clear: true,
  };
  return task;
}

/**
 * An argument as the header line shows it: a file name may hold control characters (an escape
 * sequence would drive the terminal) or spaces; the runner itself gets it as one argv entry.
 */
function shown(arg: string): string {
  const p = printable(arg);
  return /^[\w./@:=+-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

function terminalFor(runs: RunRegistry, label: string, request: RunRequest): vscode.Pseudoterminal {
  const write = new vscode.EventEmitter<string>();
  const close = new vscode.EventEmitter<number>();
  const session = runs.create(request);
  // A run the runner refused says why only in this terminal, often hidden behind the graph.
  let tail = '';
  let started = false;
  session.onEvent((e) => {
    if (e.event === 'run_started') started = true;
  });
  return {
    onDidWrite: write.event,
    onDidClose: close.event,
    open: () => {
      const b = request.backfill;
      const args = [
        path.basename(request.file),
        ...request.tasks,
        ...(request.force ? ['--force'] : []),
        ...(request.downstream ? ['--downstream'] : []),
        ...(request.triggerFile ? ['--trigger-file', request.triggerFile] : []),
        ...(b ? ['--from', b.from, '--to', b.to] : []),
        ...(request.partitions ?? []).flatMap((k) => ['--partition', k]),
        ...paramArgs(request.params),
      ];
      write.fire(
        `\x1b[90m$ tributary ${b ? 'backfill' : 'run'} ${args.map(shown).join(' ')}\x1b[0m\r\n`,
      );
      session.onOutput((text) => {
        tail = (tail + text).slice(-REFUSAL_TAIL);
        write.fire(text.replace(/\r?\n/g, '\r\n'));
      });
      session.onExit((code) => {
        write.fire(`\r\n\x1b[90m(exit code ${code})\x1b[0m\r\n`);
        close.fire(code);
      });
      // Once every line is read (stderr can come after the exit): a refusal as a notification.
      session.onClosed((code) => {
        const why = refusalOf(tail, started, code);
        if (why)
          void vscode.window
            .showErrorMessage(`Tributary: ${label} did not run: ${why}`, 'Show Output')
            .then((choice) => choice && showRunTerminal(label));
      });
      session.start(settings());
    },
    close: () => session.cancel(),
    handleInput: (data) => {
      if (data === '\x03') {
        write.fire('^C\r\n');
        session.cancel();
      }
    },
  };
}

export class TributaryTaskProvider implements vscode.TaskProvider {
  constructor(private readonly runs: RunRegistry) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const files = await vscode.workspace.findFiles(
      '**/*.pipeline.{yaml,yml}',
      '**/node_modules/**',
      200,
    );
    return files.map((f) =>
      makeTask(
        this.runs,
        { type: TASK_TYPE, file: f.fsPath },
        vscode.workspace.getWorkspaceFolder(f) ?? vscode.TaskScope.Workspace,
      ),
    );
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const def = task.definition as TributaryTaskDefinition;
    return def.file ? makeTask(this.runs, def) : undefined;
  }
}
