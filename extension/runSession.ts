/**
 * One run of the `tributary` runner as its own process: output lines for the terminal,
 * typed events (JSON lines on fd 3, the runner boundary's protocol) for every view.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { Readable } from 'node:stream';
import * as vscode from 'vscode';
import { parseEventLine, type RunEvent } from '../core/run/events';

export interface RunRequest {
  file: string;
  tasks: string[];
  force?: boolean;
  downstream?: boolean;
  triggerFile?: string;
  /** `--partition KEY` (repeatable). */
  partitions?: string[];
  /** `tributary backfill --from --to` instead of `run`. */
  backfill?: { from: string; to: string };
  /** `--param K=V` for each (argv entries: a value is data, never seen by a shell). */
  params?: Record<string, string>;
}

/** `--param K=V` argv pairs, in the order given. */
export function paramArgs(params: Record<string, string> | undefined): string[] {
  return Object.entries(params ?? {}).flatMap(([k, v]) => ['--param', `${k}=${v}`]);
}

export class RunSession implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private readonly onEventEmitter = new vscode.EventEmitter<RunEvent>();
  private readonly onOutputEmitter = new vscode.EventEmitter<string>();
  private readonly onExitEmitter = new vscode.EventEmitter<number>();
  private readonly onClosedEmitter = new vscode.EventEmitter<number>();
  readonly onEvent = this.onEventEmitter.event;
  readonly onOutput = this.onOutputEmitter.event;
  readonly onExit = this.onExitEmitter.event;
  /** After the exit, once all its output and events are read (its pipes closed). */
  readonly onClosed = this.onClosedEmitter.event;
  exitCode: number | undefined;

  constructor(
    readonly request: RunRequest,
    private readonly cli: string,
  ) {}

  start(settings: { workers?: number; shell?: string; env?: Record<string, string> }): void {
    const b = this.request.backfill;
    const args = [
      this.cli,
      b ? 'backfill' : 'run',
      this.request.file,
      ...this.request.tasks,
      '--events-fd',
      '3',
      ...(b ? ['--from', b.from, '--to', b.to] : []),
      ...(this.request.partitions ?? []).flatMap((k) => ['--partition', k]),
      ...paramArgs(this.request.params),
    ];
    if (this.request.force) args.push('--force');
    if (this.request.downstream) args.push('--downstream');
    if (this.request.triggerFile) args.push('--trigger-file', this.request.triggerFile);
    if (settings.workers) args.push('--workers', String(settings.workers));
    const env = {
      ...process.env,
      ...settings.env,
      FORCE_COLOR: '1',
      // On desktop VS Code process.execPath is Electron: this makes it run as plain Node.
      ELECTRON_RUN_AS_NODE: '1',
      ...(settings.shell ? { TRIBUTARY_SHELL: settings.shell } : {}),
    };
    // The extension host's own Node runs the runner (process.execPath works on desktop and code-server).
    this.child = spawn(process.execPath, args, {
      cwd: path.dirname(this.request.file),
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (c: Buffer) => this.onOutputEmitter.fire(c.toString('utf8')));
    this.child.stderr?.on('data', (c: Buffer) => this.onOutputEmitter.fire(c.toString('utf8')));
    const events = this.child.stdio[3] as Readable | undefined;
    if (events) {
      readline.createInterface({ input: events }).on('line', (line) => {
        const e = parseEventLine(line);
        if (e) this.onEventEmitter.fire(e);
      });
    }
    this.child.on('error', (err) =>
      this.onOutputEmitter.fire(`tributary: could not start the runner: ${err.message}\n`),
    );
    this.child.on('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? 130 : 1);
      this.onExitEmitter.fire(this.exitCode);
    });
    this.child.on('close', (code, signal) =>
      this.onClosedEmitter.fire(this.exitCode ?? code ?? (signal ? 130 : 1)),
    );
  }

  get running(): boolean {
    return this.child !== undefined && this.exitCode === undefined;
  }

  /** Cancels the run as Ctrl+C would: the runner stops every task's process group. */
  cancel(): void {
    if (this.running) this.child?.kill('SIGINT');
  }

  dispose(): void {
    this.cancel();
    this.onEventEmitter.dispose();
    this.onOutputEmitter.dispose();
    this.onExitEmitter.dispose();
    this.onClosedEmitter.dispose();
  }
}
