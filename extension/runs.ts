/** Active and last runs per pipeline file; every view subscribes here and renders from the same events. */
import * as vscode from 'vscode';
import type { RunEvent } from '../core/run/events';
import { initialRunState, reduceRun, type RunState } from '../core/run/state';
import { type RunRequest, RunSession } from './runSession';

export interface RunUpdate {
  file: string;
  event: RunEvent;
  state: RunState;
}

export class RunRegistry implements vscode.Disposable {
  private readonly sessions = new Map<string, RunSession>();
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

  active(file: string): RunSession | undefined {
    const s = this.sessions.get(file);
    return s?.running ? s : undefined;
  }

  anyActive(): RunSession[] {
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
    this.sessions.set(request.file, session);
    this.events.set(request.file, []);
    const state = initialRunState();
    this.states.set(request.file, state);
    session.onEvent((e) => {
      this.events.get(request.file)?.push(e);
      reduceRun(state, e);
      this.onUpdateEmitter.fire({ file: request.file, event: e, state });
    });
    this.onStartEmitter.fire({ file: request.file, session });
    return session;
  }

  dispose(): void {
    for (const s of this.sessions.values()) s.dispose();
    this.onUpdateEmitter.dispose();
    this.onStartEmitter.dispose();
  }
}
