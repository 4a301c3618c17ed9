/**
 * "Tributary Graph", a CustomTextEditor: the text document is the only model. The webview sends
 * intents; each becomes one WorkspaceEdit (one undo step); text changes flow back as new graphs.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { GraphIntent } from '../core/edit/intents';
import { planEdit } from '../core/edit/plan';
import { LineIndex } from '../core/text/lines';
import {
  assertNever,
  type HostToWebview,
  isWebviewToHost,
  type PlanStepModel,
  tasksNamed,
  type WebviewToHost,
} from '../core/protocol/webview';
import { graphOf, taskAtOffset, validationOf } from './pipelines';
import type { RunRegistry } from './runs';
import { planOf, startRun } from './commands';
import { lastStatesOf } from './lastStates';
import { showFullLog } from './fullLog';
import { type LogRef, taskLog } from './logs';
import { runHistory } from '../runner/api';
import { webviewHtml as webviewHtmlFor } from './webviewHtml';
import { backfill, partitionStripsOf, runPartition } from './partitions';

/** Runs shown in the graph's history panel (each is one small file read). */
const HISTORY_RUNS = 20;
const directionKey = (file: string) => `tributary.direction:${file}`;

export class GraphEditorProvider implements vscode.CustomTextEditorProvider {
  static readonly viewType = 'tributary.graph';
  private readonly panels = new Map<string, Set<vscode.WebviewPanel>>();
  /** The last graph edit queued for each document (see applyIntent). */
  private readonly edits = new Map<string, Promise<void>>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runs: RunRegistry,
    private readonly cli: string,
    private readonly log: vscode.OutputChannel,
  ) {
    context.subscriptions.push(
      runs.onUpdate((u) => {
        this.broadcast(u.file, { type: 'run/event', event: u.event });
        // The records changed: every node's last state may have too.
        if (u.event.event === 'run_finished' && this.panels.has(u.file))
          this.broadcast(u.file, {
            type: 'status/last',
            last: this.lastOf(u.file, undefined, true),
          });
        if (u.event.event === 'run_finished' && this.panels.has(u.file))
          void this.sendStrips(u.file, (m) => this.broadcast(u.file, m));
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        const doc = e.textEditor.document;
        const sel = e.selections[0];
        if (!sel || !this.panels.has(doc.uri.fsPath)) return;
        this.broadcast(doc.uri.fsPath, {
          type: 'selection/set',
          task: taskAtOffset(doc, doc.offsetAt(sel.active)),
        });
      }),
    );
  }

  broadcast(file: string, m: HostToWebview): void {
    for (const p of this.panels.get(file) ?? []) void p.webview.postMessage(m);
  }

  /** The partition strips of a partitioned pipeline, from its records (nothing for others). */
  private async sendStrips(file: string, post: (m: HostToWebview) => void): Promise<void> {
    // Most pipelines have no partitions: no second read of the file for them.
    const doc = vscode.workspace.textDocuments.find((x) => x.uri.fsPath === file);
    if (doc && !validationOf(doc).pipeline.partitions) return;
    const strips = await partitionStripsOf(file).catch((e: unknown) => {
      this.log.appendLine(`graph: partition states: ${(e as Error).message}`);
      return undefined;
    });
    if (strips) post({ type: 'partitions/status', strips });
  }

  showPlan(file: string, steps: PlanStepModel[]): void {
    this.broadcast(file, { type: 'plan/result', steps });
  }

  /** Each task's last state from the run records (the live run, if any, is not "interrupted"). */
  private lastOf(file: string, doc?: vscode.TextDocument, finished = false) {
    const d = doc ?? vscode.workspace.textDocuments.find((x) => x.uri.fsPath === file);
    const names = d ? validationOf(d).pipeline.tasks.map((t) => t.name) : [];
    // A run that just finished is read in full (its session may still count as running).
    const live = !finished && this.runs.active(file) ? this.runs.stateOf(file)?.id : undefined;
    return lastStatesOf(file, names, live);
  }

  /** The run and attempt a node's state comes from: the current run if the task is in it, else the records. */
  private logRef(file: string, task: string): LogRef | undefined {
    const live = this.runs.stateOf(file);
    const r = live?.tasks[task];
    if (
      live &&
      r &&
      r.state.status !== 'pending' &&
      r.state.status !== 'queued' &&
      r.state.status !== 'complete'
    )
      return { run: live.id, attempt: r.attempts };
    const last = lastStatesOf(file, [task], this.runs.active(file) ? live?.id : undefined)[task];
    return last ? { run: last.run, attempt: last.attempt } : undefined;
  }

  resolveCustomTextEditor(doc: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const file = doc.uri.fsPath;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.webview.html = webviewHtmlFor(panel.webview, this.context.extensionUri);
    // Told apart from the YAML tab of the same file.
    panel.title = `Graph · ${path.basename(file)}`;
    const set = this.panels.get(file) ?? new Set();
    set.add(panel);
    this.panels.set(file, set);
    const post = (m: HostToWebview) => void panel.webview.postMessage(m);
    let timer: NodeJS.Timeout | undefined;
    const subs: vscode.Disposable[] = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== doc.uri.toString()) return;
        clearTimeout(timer);
        timer = setTimeout(
          () => post({ type: 'graph/update', version: doc.version, graph: graphOf(doc) }),
          60,
        );
      }),
      this.runs.onStart((s) => {
        if (s.file !== file) return;
        post({ type: 'run/reset' });
        // Stop is offered until the runner exits: its run_started can take seconds to come.
        subs.push(s.session.onExit(() => post({ type: 'run/exited' })));
      }),
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(doc, raw, post)),
    ];
    panel.onDidDispose(() => {
      clearTimeout(timer);
      subs.forEach((s) => s.dispose());
      set.delete(panel);
    });
  }

  /** One message from a webview of `doc`: `unknown` until checked (shape, then task names). */
  async receive(
    doc: vscode.TextDocument,
    raw: unknown,
    post: (m: HostToWebview) => void,
  ): Promise<void> {
    if (!isWebviewToHost(raw)) {
      this.log.appendLine(`graph: ignored an unknown message ${JSON.stringify(raw).slice(0, 200)}`);
      return;
    }
    await this.handle(doc, raw, post).catch((e: unknown) =>
      this.log.appendLine(`graph: ${(e as Error).stack ?? String(e)}`),
    );
  }

  private async handle(
    doc: vscode.TextDocument,
    m: WebviewToHost,
    post: (m: HostToWebview) => void,
  ): Promise<void> {
    const file = doc.uri.fsPath;
    // Every task a message names must be one of this pipeline's tasks (a webview is not trusted input).
    const known = validationOf(doc).pipeline.taskIndex;
    const unknown = tasksNamed(m).find((t) => !known.has(t));
    if (unknown !== undefined) {
      this.log.appendLine(
        `graph: refused ${m.type} for an unknown task ${JSON.stringify(unknown).slice(0, 80)}`,
      );
      if (m.type === 'intent')
        post({
          type: 'edit/rejected',
          reason: `There is no task '${unknown.slice(0, 80)}' in this pipeline.`,
        });
      return;
    }
    switch (m.type) {
      case 'ready': {
        const direction = this.context.workspaceState.get<'RIGHT' | 'DOWN'>(directionKey(file));
        post({
          type: 'init',
          version: doc.version,
          graph: graphOf(doc),
          events: this.runs.eventsOf(file),
          trusted: vscode.workspace.isTrusted,
          last: this.lastOf(file, doc),
          ...(direction ? { direction } : {}),
        });
        await this.sendStrips(file, post);
        return;
      }
      case 'view/direction':
        await this.context.workspaceState.update(directionKey(file), m.direction);
        return;
      case 'view/problems':
        await vscode.commands.executeCommand('workbench.actions.view.problems');
        return;
      case 'intent':
        return this.applyIntent(doc, m.intent, post);
      case 'run/task':
        await startRun(this.runs, doc.uri, {
          tasks: [m.task],
          ...(m.mode === 'rerun' || m.mode === 'downstream' ? { force: true } : {}),
          ...(m.mode === 'downstream' ? { downstream: true } : {}),
        });
        return;
      case 'run/all':
        await startRun(this.runs, doc.uri);
        return;
      case 'run/withParams':
        await vscode.commands.executeCommand('tributary.runWithParams', doc.uri);
        return;
      case 'run/partition':
        await runPartition(this.runs, doc.uri, m.task, m.partition);
        return;
      case 'run/backfill':
        await backfill(this.runs, doc.uri, m.task);
        return;
      case 'run/stop':
        this.runs.active(file)?.cancel();
        return;
      case 'run/plan':
        try {
          post({ type: 'plan/result', steps: await planOf(this.cli, file) });
        } catch (e) {
          // An unreachable database, an unset ${env.X}…: shown on the graph and as a notification.
          const message = (e as Error).message.split('\n')[0] ?? 'the plan failed';
          post({ type: 'plan/error', message });
          void vscode.window.showErrorMessage(`Tributary plan: ${message}`);
        }
        return;
      case 'task/reveal':
        return this.reveal(doc, m.task, true);
      case 'task/showLog': {
        const ref = this.logRef(file, m.task);
        post({
          type: 'task/log',
          task: m.task,
          lines: await taskLog(file, m.task, ref),
          ...(ref ? { run: ref.run, attempt: ref.attempt } : {}),
        });
        return;
      }
      case 'task/openLog':
        // The whole log of the node's run, per attempt, following while it runs (extension/fullLog.ts).
        await showFullLog(this.runs, file, m.task);
        return;
      case 'selection/changed':
        if (m.task) await this.reveal(doc, m.task, false);
        return;
      case 'history/request':
        post({ type: 'history/data', runs: runHistory(file, HISTORY_RUNS) });
        return;
      default:
        assertNever(m);
    }
  }

  /**
   * One intent at a time per document: each is planned on the text the previous one left (two
   * quick edits planned on the same text would give the second stale ranges).
   */
  applyIntent(
    doc: vscode.TextDocument,
    intent: GraphIntent,
    post: (m: HostToWebview) => void,
  ): Promise<void> {
    const key = doc.uri.toString();
    const next = (this.edits.get(key) ?? Promise.resolve()).then(() =>
      this.applyNow(doc, intent, post),
    );
    const tail = next.catch(() => {});
    this.edits.set(key, tail);
    void tail.then(() => this.edits.get(key) === tail && this.edits.delete(key));
    return next;
  }

  private async applyNow(
    doc: vscode.TextDocument,
    intent: GraphIntent,
    post: (m: HostToWebview) => void,
  ): Promise<void> {
    // VS Code refuses an edit made for an older version (a keystroke on its way here): plan again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const version = doc.version;
      const text = doc.getText();
      const planned = planEdit(text, intent, validationOf(doc).pipeline);
      if ('error' in planned) {
        post({ type: 'edit/rejected', reason: planned.error });
        return;
      }
      const lines = new LineIndex(text);
      const edit = new vscode.WorkspaceEdit();
      for (const e of planned.edits) {
        const s = lines.position(e.range.start);
        const t = lines.position(e.range.end);
        edit.replace(
          doc.uri,
          new vscode.Range(s.line, s.character, t.line, t.character),
          e.newText,
        );
      }
      if (await vscode.workspace.applyEdit(edit)) return;
      if (doc.version === version) break;
    }
    post({ type: 'edit/rejected', reason: 'VS Code refused the edit' });
  }

  /** Puts the cursor on the task's key in a text editor of the document (opening one if asked). */
  private async reveal(doc: vscode.TextDocument, task: string, open: boolean): Promise<void> {
    const t = validationOf(doc).pipeline.taskIndex.get(task);
    if (!t) return;
    const range = new vscode.Range(
      doc.positionAt(t.keyRange.start),
      doc.positionAt(t.keyRange.end),
    );
    let editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    if (!editor && open)
      editor = await vscode.window.showTextDocument(doc, {
        viewColumn: vscode.ViewColumn.Beside,
        preserveFocus: false,
      });
    if (!editor) return;
    editor.selection = new vscode.Selection(range.start, range.start);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    if (open)
      await vscode.window.showTextDocument(editor.document, {
        viewColumn: editor.viewColumn,
        preserveFocus: false,
      });
  }
}
