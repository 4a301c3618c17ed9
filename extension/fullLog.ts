/**
 * "Show Full Log": a read-only editor tab (`tributary-log:` documents) with the whole log of a
 * task's run, one section per attempt with how it ended, refreshed while that run is running.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunEvent } from '../core/run/events';
import { headerTime, type LogSection, readRun, statePaths } from '../runner/api';
import { lastStatesOf } from './lastStates';
import { type LogRef, logPath, logSections, refusedLog } from './logs';
import type { RunRegistry } from './runs';

export const LOG_SCHEME = 'tributary-log';
/** How often a followed log is looked at while its run runs. */
const FOLLOW_MS = 500;

/** The run and attempt a node's state comes from: the current run if the task is in it, else the records. */
export function logRefOf(runs: RunRegistry, file: string, task: string): LogRef | undefined {
  const live = runs.stateOf(file);
  const r = live?.tasks[task];
  const s = r?.state.status;
  if (live && r && s !== 'pending' && s !== 'queued' && s !== 'complete')
    return { run: live.id, attempt: r.attempts };
  const last = lastStatesOf(file, [task], runs.active(file) ? live?.id : undefined)[task];
  return last ? { run: last.run, attempt: last.attempt } : undefined;
}

/** The log URIs this window made itself (Show Full Log): always served. */
const made = new Set<string>();

/** `tributary-log:/<pipeline file>/<task>.log?…`: the tab's title is the task's log file name. */
export function logUri(file: string, task: string, run: string): vscode.Uri {
  const query = new URLSearchParams({ file, task, run }).toString();
  const uri = vscode.Uri.from({
    scheme: LOG_SCHEME,
    path: `/${path.basename(file)}/${task}.log`,
    query,
  });
  made.add(uri.toString());
  return uri;
}

function parse(uri: vscode.Uri): { file: string; task: string; run: string } | undefined {
  const q = new URLSearchParams(uri.query);
  const [file, task, run] = [q.get('file'), q.get('task'), q.get('run')];
  return file && task && run ? { file, task, run } : undefined;
}

/**
 * Whether a log URI may be served: made by this window, or (a tab restored after a reload) naming
 * a pipeline file inside a workspace folder. Not any folder a crafted link names.
 */
export function servable(uri: vscode.Uri, file: string): boolean {
  if (made.has(uri.toString())) return true;
  const abs = path.resolve(file);
  return (
    path.isAbsolute(file) &&
    /\.pipeline\.ya?ml$/.test(abs) &&
    vscode.workspace.getWorkspaceFolder(vscode.Uri.file(abs)) !== undefined
  );
}

const seconds = (ms: number) =>
  ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** The record's events of `task` (an instance `task@KEY` is the task's events of that partition). */
function eventsOf(events: RunEvent[], task: string): RunEvent[] {
  const at = task.indexOf('@');
  const [name, part] = at > 0 ? [task.slice(0, at), task.slice(at + 1)] : [task, undefined];
  return events.filter((e) => 'task' in e && e.task === name && e.partition === part);
}

/** How each attempt ended, from the run's record: `task_retry` names the reason of the one before it. */
function outcomes(events: RunEvent[]): Map<number, string> {
  const out = new Map<number, string>();
  for (const e of events) {
    if (e.event === 'task_retry')
      out.set(e.attempt - 1, `failed: ${e.reason} (retried in ${seconds(e.delay_ms)})`);
    if (e.event === 'task_finished') {
      // The message names the exit code when there is one ("exit code 3").
      const code = e.exit_code !== null && e.exit_code !== 0 ? `: exit code ${e.exit_code}` : '';
      const why = e.message ? `: ${e.message}` : code;
      out.set(e.attempt, `${e.status}${why} · ${seconds(e.duration_ms)}`);
    }
  }
  return out;
}

/**
 * The log's sections, with an empty one for each attempt the record says started and the log
 * does not have (a task that cannot retry makes its log only with its first output).
 */
function withSilentAttempts(sections: LogSection[], events: RunEvent[]): LogSection[] {
  if (sections.some((s) => s.attempt === 0)) return sections; // a log from before headers
  const all = [...sections];
  const of = sections.find((s) => s.attempt > 0)?.of;
  for (const e of events)
    if (e.event === 'task_started' && !all.some((s) => s.attempt === e.attempt))
      all.push({
        attempt: e.attempt,
        of: of ?? Math.max(1, e.attempt),
        started: headerTime(new Date(e.ts)),
        lines: [],
      });
  return all.sort((a, b) => a.attempt - b.attempt);
}

/** The whole log of `task` in `run`: a title, then each attempt's header, its lines and how it ended. */
export async function fullLogText(
  file: string,
  task: string,
  run: string,
  running: boolean,
): Promise<string> {
  const logged = await logSections(file, run, task);
  if (!logged) return `${refusedLog(task)}\n`;
  const events = eventsOf(readRun(statePaths(file).runs, run), task);
  const sections = withSilentAttempts(logged, events);
  const ended = outcomes(events);
  const started = events.some((e) => e.event === 'task_started');
  const out = [`${task} · ${path.basename(file)}${running ? ' · running…' : ''}`, `run ${run}`, ''];
  if (sections.length === 0)
    out.push(
      started ? '(the task printed nothing in this run)' : '(the task did not start in this run)',
    );
  for (const s of sections) {
    if (s.attempt === 0) out.push('(output written before attempt headers)');
    else out.push(`── attempt ${s.attempt} of ${s.of} · ${s.started} ──`);
    if (s.lines.length) out.push(...s.lines);
    else out.push(`(attempt ${s.attempt} printed nothing)`);
    const end = ended.get(s.attempt);
    if (end) out.push(`(attempt ${s.attempt} ${end})`);
    else if (running) out.push('(running…)');
    out.push('');
  }
  return out.join('\n');
}

export class FullLogProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  /** Size and mtime of each followed log (and its record) when last shown. */
  private readonly seen = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subs: vscode.Disposable[];
  /** One exit listener per running session, dropped when it fires. */
  private readonly exits = new Set<vscode.Disposable>();

  constructor(private readonly runs: RunRegistry) {
    this.subs = [
      // A task started or finished: its outcome line changes (and the run's end stops following).
      runs.onUpdate((u) => this.refresh((p) => p.file === u.file && p.run === u.state.id)),
      // The runner exited: the last refresh drops "running…".
      runs.onStart(({ file, session }) => {
        const exit = session.onExit(() => {
          exit.dispose();
          this.exits.delete(exit);
          this.refresh((p) => p.file === file);
        });
        this.exits.add(exit);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => followEnd(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        lineCounts.delete(d.uri.toString());
        this.seen.delete(d.uri.toString());
      }),
    ];
  }

  private following(p: { file: string; run: string }): boolean {
    return this.runs.active(p.file) !== undefined && this.runs.stateOf(p.file)?.id === p.run;
  }

  provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const p = parse(uri);
    if (!p) return Promise.resolve('(not a Tributary log)\n');
    if (!servable(uri, p.file))
      return Promise.resolve(
        '(refused: this log names a file outside the workspace that this window did not open)\n',
      );
    if (this.following(p)) this.follow();
    return fullLogText(p.file, p.task, p.run, this.following(p));
  }

  private refresh(which: (p: { file: string; task: string; run: string }) => boolean): void {
    for (const d of vscode.workspace.textDocuments) {
      const p = d.uri.scheme === LOG_SCHEME ? parse(d.uri) : undefined;
      if (p && which(p)) this.changed.fire(d.uri);
    }
  }

  /** While a shown log's run runs, its file is looked at twice a second; stops when none runs. */
  private follow(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      let any = false;
      for (const d of vscode.workspace.textDocuments) {
        const p = d.uri.scheme === LOG_SCHEME ? parse(d.uri) : undefined;
        if (!p) continue;
        if (!this.following(p)) {
          // Its run just ended (also one started outside VS Code): once more, without "running…".
          if (this.seen.delete(d.uri.toString())) this.changed.fire(d.uri);
          continue;
        }
        any = true;
        const log = logPath(p.file, p.run, p.task);
        const st = log ? fs.statSync(log, { throwIfNoEntry: false }) : undefined;
        const mark = `${st?.size}:${st?.mtimeMs}`;
        if (this.seen.get(d.uri.toString()) !== mark) {
          this.seen.set(d.uri.toString(), mark);
          this.changed.fire(d.uri);
        }
      }
      if (!any) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    }, FOLLOW_MS);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subs.forEach((s) => s.dispose());
    this.exits.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

/** Line counts of shown logs: an editor that showed the end keeps showing it as lines arrive. */
const lineCounts = new Map<string, number>();

function followEnd(doc: vscode.TextDocument): void {
  if (doc.uri.scheme !== LOG_SCHEME) return;
  const key = doc.uri.toString();
  const before = lineCounts.get(key) ?? 0;
  lineCounts.set(key, doc.lineCount);
  for (const e of vscode.window.visibleTextEditors) {
    if (e.document !== doc) continue;
    const bottom = e.visibleRanges.at(-1)?.end.line ?? 0;
    if (bottom >= before - 3) {
      const end = new vscode.Position(doc.lineCount - 1, 0);
      e.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
    }
  }
}

/** Asked from a graph, the log opens in another group (the YAML's), so the graph stays in view. */
function besideTheGraph(): vscode.ViewColumn {
  const active = vscode.window.tabGroups.activeTabGroup;
  const input = active.activeTab?.input;
  if (!(input instanceof vscode.TabInputCustom && input.viewType === 'tributary.graph'))
    return vscode.ViewColumn.Active;
  const other = vscode.window.tabGroups.all.find((g) => g !== active);
  return other?.viewColumn ?? vscode.ViewColumn.Beside;
}

/** Opens the whole log of the run the task's state comes from, or says why there is none. */
export async function showFullLog(runs: RunRegistry, file: string, task: string): Promise<boolean> {
  const ref = logRefOf(runs, file, task);
  if (!ref) {
    void vscode.window.showInformationMessage(`${task} has not run yet: there is no log.`);
    return false;
  }
  const doc = await vscode.workspace.openTextDocument(logUri(file, task, ref.run));
  await vscode.languages.setTextDocumentLanguage(doc, 'log');
  await vscode.window.showTextDocument(doc, { preview: false, viewColumn: besideTheGraph() });
  return true;
}
