/** A run this window did not start (a terminal, cron, `tributary serve`): stopped by signalling its runner when that is safe. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type LockInfo, lockHolderAlive } from '../runner/api';
import type { RunHandle } from './runs';

/** Does pid run `tributary serve`? Then SIGINT would stop the whole server, not this one run. */
function isServe(pid: number): boolean {
  try {
    const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return argv.includes('serve');
  } catch {
    return false;
  }
}

export class ExternalRun implements RunHandle {
  running = true;
  readonly external: { pid?: number; host?: string };

  constructor(
    readonly file: string,
    private readonly lock: LockInfo | undefined,
  ) {
    this.external = lock ? { pid: lock.pid, host: lock.host } : {};
  }

  /** Why this window cannot stop the run, or undefined when it can. */
  cannotStop(): string | undefined {
    const l = this.lock;
    const name = path.basename(this.file);
    if (!l) return `the run of ${name} did not say which process runs it`;
    if (l.host !== os.hostname())
      return `the run of ${name} runs on host ${l.host} (pid ${l.pid}): stop it there`;
    if (!lockHolderAlive(l)) return `the runner of ${name} (pid ${l.pid}) is gone`;
    if (isServe(l.pid))
      return `the run of ${name} was started by tributary serve (pid ${l.pid}): stopping it from here would stop the server`;
    return undefined;
  }

  /** As Ctrl+C in its terminal: the runner cancels its tasks and records the run as cancelled. */
  cancel(): void {
    if (!this.running) return;
    const why = this.cannotStop();
    if (why !== undefined) {
      void vscode.window.showWarningMessage(`Tributary: cannot stop this run: ${why}.`);
      return;
    }
    try {
      process.kill(this.lock!.pid, 'SIGINT');
    } catch (e) {
      void vscode.window.showWarningMessage(
        `Tributary: cannot stop this run: ${(e as Error).message}`,
      );
    }
  }

  dispose(): void {
    this.running = false;
  }
}
