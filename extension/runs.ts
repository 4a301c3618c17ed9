/** Active and last runs per pipeline file; every view subscribes here and renders from the same events. */
import * as vscode from 'vscode';
import type { RunEvent } from '../core/run/events';
import { initialRunState, reduceRun, type RunState } from '../core/run/state';
import { type RunRequest, RunSession } from './runSession';

/** A run the views follow: one this window started (a RunSession) or one started elsewhere. */
export interface RunHandle {
  readonly running: boolean;
  /** Stops the run as Ctrl+C would (an external run: only when its runner can be signalled from here). */
  cancel(): void;
  /** Set for a run this window did not start (a terminal, cron, `tributary serve`). */
  readonly external?: { pid?: number; host?: string };
  dispose(): void;
}

export interface RunUpdate {
  file: string;
  event: RunEvent;
  state: RunState;
}

/** How long after its runner exited an own session may still announce its run's id. */
const OWN_GRACE_MS = 5000;

export class RunRegistry implements vscode.Disposable {
  private readonly sessions = new Map<string, RunHandle>();
  /** Run ids this window's own sessions started: their records are not followed a second time. */
  private readonly own = new Set<string>();
  /** When each file's last own session exited. */
  private readonly exited = new Map<string, number>();
  private readonly events = new Map<string, RunEvent[]>();
  private readonly states = new Map<string, RunState>();
  private readonly onUpdateEmitter = new vscode.EventEmitter<RunUpdate>();
  private readonly onStartEmitter = new vscode.EventEmitter<{
    file: string;
    session: RunSession;
  }>();
  readonly onUpdate = this.onUpdateEmitter.event;
  readonly onStart = this.onStartEmitter.event;

  constructor(private readonly cli: string) {}

  active(file: string): RunHandle | undefined {
    const s = this.sessions.get(file);
    return s?.running ? s : undefined;
  }

  anyActive(): RunHandle[] {
    return [...this.sessions.values()].filter((s) => s.running);
  }

  /** Events of the current or last run of `file`, for a webview that opens mid-run. */
  eventsOf(file: string): RunEvent[] {
    return this.events.get(file) ?? [];
  }

  stateOf(file: string): RunState | undefined {
    return this.states.get(file);
  }

  create(request: RunRequest): RunSession {
    const session = new RunSession(request, this.cli);
    const push = this.begin(request.file, session);
    session.onEvent((e) => {
      if (e.event === 'run_started') this.own.add(e.run);
      push(e);
    });
    session.onExit(() => this.exited.set(request.file, Date.now()));
    this.onStartEmitter.fire({ file: request.file, session });
    return session;
  }

  /** A run started outside this window (its record followed): fed to every view like a session's. */
  follow(file: string, handle: RunHandle): (e: RunEvent) => void {
    return this.begin(file, handle);
  }

  /** Whether run `id` of `file` is this window's own; 'unknown' while its own run has not said its id. */
  owns(file: string, id: string): boolean | 'unknown' {
    if (this.own.has(id)) return true;
    const s = this.sessions.get(file);
    if (!s || s.external || this.states.get(file)?.id !== '') return false;
    // Its run_started may still be on its way: a child's exit can come before its last output.
    const exited = this.exited.get(file);
    return s.running || (exited !== undefined && Date.now() - exited < OWN_GRACE_MS)
      ? 'unknown'
      : false;
  }

  private begin(file: string, handle: RunHandle): (e: RunEvent) => void {
    this.sessions.set(file, handle);
    const events: RunEvent[] = [];
    this.events.set(file, events);
    const state = initialRunState();
    this.states.set(file, state);
    return (e) => {
      events.push(e);
      reduceRun(state, e);
      this.onUpdateEmitter.fire({ file, event: e, state });
    };
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.onUpdateEmitter.dispose();
    this.onStartEmitter.dispose();
  }
}
