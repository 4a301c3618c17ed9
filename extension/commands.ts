/** The commands of the contract: run, run a task, rerun, run downstream, stop, plan, open the graph. */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PlanStepModel } from '../core/protocol/webview';
import { pipelineUri, validationOf } from './pipelines';
import type { RunRegistry } from './runs';
import { makeTask, TASK_TYPE } from './runTask';
import { FullLogProvider, LOG_SCHEME, showFullLog } from './fullLog';
import { askParams } from './runParams';
import { printable } from './printable';
import { settings } from './settings';
import { offerOutput } from './terminalReveal';

/** In a restricted window nothing runs: say why, and offer to manage trust. */
export function ensureTrusted(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      'Tributary does not run pipelines in a restricted window: their tasks are shell commands. Trust this workspace to run them.',
      'Manage Workspace Trust',
    )
    .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  return false;
}

export interface RunOptions {
  tasks?: string[];
  force?: boolean;
  downstream?: boolean;
  /** Runs as if this file had fired an `on: files` trigger. */
  triggerFile?: string;
  /** `--partition KEY` for each. */
  partitions?: string[];
  /** A backfill of this range instead of a run. */
  backfill?: { from: string; to: string };
  /** `--param K=V` for each. */
  params?: Record<string, string>;
}

export async function startRun(
  runs: RunRegistry,
  uri: vscode.Uri,
  o: RunOptions = {},
): Promise<boolean> {
  if (!ensureTrusted()) return false;
  const file = uri.fsPath;
  if (runs.active(file)) {
    void vscode.window.showWarningMessage(
      `${path.basename(file)} is already running. Stop it first.`,
    );
    return false;
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
  const task = makeTask(runs, {
    type: TASK_TYPE,
    file,
    ...(o.tasks?.length ? { tasks: o.tasks } : {}),
    ...(o.force ? { force: true } : {}),
    ...(o.downstream ? { downstream: true } : {}),
    ...(o.triggerFile ? { triggerFile: o.triggerFile } : {}),
    ...(o.partitions?.length ? { partitions: o.partitions } : {}),
    ...(o.backfill ? { from: o.backfill.from, to: o.backfill.to } : {}),
    ...(o.params && Object.keys(o.params).length ? { params: o.params } : {}),
  });
  await vscode.tasks.executeTask(task);
  // The terminal stayed hidden (a graph is in view): say so, and offer it.
  if (task.presentationOptions.reveal === vscode.TaskRevealKind.Never) offerOutput(task.name);
  return true;
}

/**
 * The task a command names, only if the pipeline has it (a command: link, a keybinding or another
 * extension may pass any string); `instance`: also `task@KEY`, a partition's log. Else it asks.
 */
async function taskName(
  uri: vscode.Uri,
  arg: unknown,
  instance = false,
): Promise<string | undefined> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const known = validationOf(doc).pipeline.taskIndex;
  if (typeof arg === 'string' && arg) {
    const at = instance ? arg.indexOf('@') : -1;
    if (known.has(at > 0 ? arg.slice(0, at) : arg)) return arg;
    void vscode.window.showErrorMessage(
      `Tributary: ${printable(path.basename(uri.fsPath))} has no task '${printable(arg.slice(0, 80))}'.`,
    );
    return undefined;
  }
  return vscode.window.showQuickPick([...known.keys()], { placeHolder: 'Which task?' });
}

/** Why a plan is refused in a restricted window (the graph's Plan button shows it too). */
export const PLAN_UNTRUSTED =
  'Tributary does not plan in a restricted window: a plan connects to the databases and servers the pipeline names. Trust this workspace to plan.';

/**
 * The plan from the runner (`tributary plan --json`), with the secrets a run would get (a target
 * without a dsn uses the database URL). Refused in a restricted window: nothing connects there.
 */
export function planOf(cli: string, file: string): Promise<PlanStepModel[]> {
  if (!vscode.workspace.isTrusted) return Promise.reject(new Error(PLAN_UNTRUSTED));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, 'plan', file, '--json'],
      {
        cwd: path.dirname(file),
        env: { ...process.env, ...settings().env, ELECTRON_RUN_AS_NODE: '1' },
      },
      (err, stdout, stderr) => {
        if (err && !stdout) return reject(new Error(stderr.trim() || err.message));
        try {
          resolve((JSON.parse(stdout) as { tasks: PlanStepModel[] }).tasks);
        } catch {
          reject(new Error(stderr.trim() || 'could not read the plan'));
        }
      },
    );
  });
}

export function registerCommands(
  context: vscode.ExtensionContext,
  runs: RunRegistry,
  cli: string,
  onPlan: (file: string, steps: PlanStepModel[]) => void,
): void {
  const withUri =
    (fn: (uri: vscode.Uri, ...rest: unknown[]) => unknown) =>
    async (arg?: unknown, ...rest: unknown[]) => {
      const uri = await pipelineUri(arg);
      if (uri) return fn(uri, ...rest);
      void vscode.window.showInformationMessage('Open a *.pipeline.yaml file first.');
      return undefined;
    };
  const task = (o: RunOptions) =>
    withUri(async (uri, name) => {
      const t = await taskName(uri, name);
      return t ? startRun(runs, uri, { ...o, tasks: [t] }) : false;
    });
  const table: Record<string, (...args: unknown[]) => unknown> = {
    'tributary.runPipeline': withUri((uri) => startRun(runs, uri)),
    'tributary.runWithParams': withUri(async (uri) => {
      if (!ensureTrusted()) return false;
      const params = await askParams(context.workspaceState, uri);
      return params ? startRun(runs, uri, { params }) : false;
    }),
    'tributary.showFullLog': withUri(async (uri, name) => {
      const t = await taskName(uri, name, true);
      return t ? showFullLog(runs, uri.fsPath, t) : false;
    }),
    'tributary.runTask': task({}),
    'tributary.rerunTask': task({ force: true }),
    'tributary.runDownstream': task({ force: true, downstream: true }),
    'tributary.stopRun': async (arg?: unknown) => {
      const uri = arg !== undefined ? await pipelineUri(arg) : undefined;
      const sessions = uri
        ? [runs.active(uri.fsPath)].filter((s) => s !== undefined)
        : runs.anyActive();
      for (const s of sessions) s.cancel();
      return sessions.length;
    },
    'tributary.plan': withUri(async (uri) => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window
          .showWarningMessage(PLAN_UNTRUSTED, 'Manage Workspace Trust')
          .then((c) => c && vscode.commands.executeCommand('workbench.trust.manage'));
        return undefined;
      }
      try {
        const steps = await planOf(cli, uri.fsPath);
        onPlan(uri.fsPath, steps);
        const willRun = steps.filter((s) => s.action === 'run');
        void vscode.window.showInformationMessage(
          willRun.length
            ? `Plan: ${willRun.length} of ${steps.length} tasks will run: ${willRun.map((s) => `${s.task} (${s.reason})`).join(', ')}`
            : 'Plan: everything is complete.',
        );
        return steps;
      } catch (e) {
        void vscode.window.showErrorMessage(`Tributary: ${(e as Error).message}`);
        return undefined;
      }
    }),
    'tributary.openGraph': withUri((uri) =>
      vscode.commands.executeCommand('vscode.openWith', uri, 'tributary.graph'),
    ),
    'tributary.openGraphToSide': withUri((uri) =>
      vscode.commands.executeCommand(
        'vscode.openWith',
        uri,
        'tributary.graph',
        vscode.ViewColumn.Beside,
      ),
    ),
  };
  for (const [id, fn] of Object.entries(table))
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  const logs = new FullLogProvider(runs);
  context.subscriptions.push(
    logs,
    vscode.workspace.registerTextDocumentContentProvider(LOG_SCHEME, logs),
  );
}
