/**
 * "Tributary Graph", a CustomTextEditor: the text document is the only model. The webview sends
 * intents; each becomes one WorkspaceEdit (one undo step); text changes flow back as new graphs.
 */
import * as vscode from 'vscode';
import type { GraphIntent } from '../core/edit/intents';
import { planEdit } from '../core/edit/plan';
import { LineIndex } from '../core/text/lines';
import {
  assertNever,
  type HostToWebview,
  isWebviewToHost,
  type PlanStepModel,
  type WebviewToHost,
} from '../core/protocol/webview';
import { graphOf, taskAtOffset, validationOf } from './pipelines';
import type { RunRegistry } from './runs';
import { planOf, startRun } from './commands';
import { lastLog } from './logs';
import { runHistory } from '../runner/api';

/** Runs shown in the graph's history panel (each is one small file read). */
const HISTORY_RUNS = 20;
import { webviewHtml as webviewHtmlFor } from './webviewHtml';

export class GraphEditorProvider implements vscode.CustomTextEditorProvider {
  static readonly viewType = 'tributary.graph';
  private readonly panels = new Map<string, Set<vscode.WebviewPanel>>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly runs: RunRegistry,
    private readonly cli: string,
    private readonly log: vscode.OutputChannel,
  ) {
    context.subscriptions.push(
      runs.onUpdate((u) => this.broadcast(u.file, { type: 'run/event', event: u.event })),
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

  showPlan(file: string, steps: PlanStepModel[]): void {
    this.broadcast(file, { type: 'plan/result', steps });
  }

  resolveCustomTextEditor(doc: vscode.TextDocument, panel: vscode.WebviewPanel): void {
    const file = doc.uri.fsPath;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    panel.webview.html = webviewHtmlFor(panel.webview, this.context.extensionUri);
    const set = this.panels.get(file) ?? new Set();
    set.add(panel);
    this.panels.set(file, set);
    const post = (m: HostToWebview) => void panel.webview.postMessage(m);
    let timer: NodeJS.Timeout | undefined;
    const subs = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() !== doc.uri.toString()) return;
        clearTimeout(timer);
        timer = setTimeout(
          () => post({ type: 'graph/update', version: doc.version, graph: graphOf(doc) }),
          60,
        );
      }),
      this.runs.onStart((s) => s.file === file && post({ type: 'run/reset' })),
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        if (!isWebviewToHost(raw)) {
          this.log.appendLine(
            `graph: ignored an unknown message ${JSON.stringify(raw).slice(0, 200)}`,
          );
          return;
        }
        void this.handle(doc, raw, post).catch((e: unknown) =>
          this.log.appendLine(`graph: ${(e as Error).stack ?? String(e)}`),
        );
      }),
    ];
    panel.onDidDispose(() => {
      clearTimeout(timer);
      subs.forEach((s) => s.dispose());
      set.delete(panel);
    });
  }

  private async handle(
    doc: vscode.TextDocument,
    m: WebviewToHost,
    post: (m: HostToWebview) => void,
  ): Promise<void> {
    const file = doc.uri.fsPath;
    switch (m.type) {
      case 'ready':
        post({
          type: 'init',
          version: doc.version,
          graph: graphOf(doc),
          events: this.runs.eventsOf(file),
          trusted: vscode.workspace.isTrusted,
        });
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
      case 'run/stop':
        this.runs.active(file)?.cancel();
        return;
      case 'run/plan':
        post({ type: 'plan/result', steps: await planOf(this.cli, file) });
        return;
      case 'task/reveal':
        return this.reveal(doc, m.task, true);
      case 'task/showLog':
        post({ type: 'task/log', task: m.task, lines: await lastLog(file, m.task) });
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

  async applyIntent(
    doc: vscode.TextDocument,
    intent: GraphIntent,
    post: (m: HostToWebview) => void,
  ): Promise<void> {
    const planned = planEdit(doc.getText(), intent, validationOf(doc).pipeline);
    if ('error' in planned) {
      post({ type: 'edit/rejected', reason: planned.error });
      return;
    }
    const lines = new LineIndex(doc.getText());
    const edit = new vscode.WorkspaceEdit();
    for (const e of planned.edits) {
      const s = lines.position(e.range.start);
      const t = lines.position(e.range.end);
      edit.replace(doc.uri, new vscode.Range(s.line, s.character, t.line, t.character), e.newText);
    }
    if (!(await vscode.workspace.applyEdit(edit)))
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
