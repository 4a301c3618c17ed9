/** A run this window did not start (a terminal, cron, `tributary serve`): stopped by signalling its runner when that is safe. */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type LockInfo, lockHolderState } from '../runner/api';
import type { RunHandle } from './runs';

export class ExternalRun implements RunHandle {
  running = true;
  readonly external: { pid?: number; host?: string };

  constructor(
    readonly file: string,
    private readonly lock: LockInfo | undefined,
  ) {
    this.external = lock ? { pid: lock.pid, host: lock.host } : {};
  }

  /**
   * Why this window cannot stop the run, or undefined when it can. SIGINT goes only to a pid that
   * is verifiably the runner (its start time matches the lock's): elsewhere a reused pid would be
   * some other process of the user's.
   */
  cannotStop(): string | undefined {
    const l = this.lock;
    const name = path.basename(this.file);
    if (!l) return `the run of ${name} did not say which process runs it`;
    if (l.host !== os.hostname())
      return `the run of ${name} runs on host ${l.host} (pid ${l.pid}): stop it there`;
    // A lock can come with a cloned repository: never the init process (a container's pid 1
    // has a start time anyone can know; other pids are checked by theirs below).
    if (!Number.isInteger(l.pid) || l.pid <= 1)
      return `the lock of ${name} names pid ${l.pid}, which cannot be its runner`;
    // Windows has no SIGINT to send: process.kill would end the runner at once, with no run_finished.
    if (process.platform === 'win32')
      return `the run of ${name} (pid ${l.pid}) was started outside VS Code: stop it with Ctrl+C in its terminal`;
    const state = lockHolderState(l);
    if (state === 'dead') return `the runner of ${name} (pid ${l.pid}) is gone`;
    if (state === 'unknown')
      return `pid ${l.pid} cannot be checked to still be the runner of ${name} on this system: stop it with Ctrl+C in its terminal, or kill -INT ${l.pid}`;
    if (l.command === 'serve')
      return `the run of ${name} was started by tributary serve (pid ${l.pid}): stopping it from here would stop the server`;
    if (l.command !== 'run')
      return `the runner of ${name} (pid ${l.pid}, an older tributary) does not say whether it is tributary serve: stop it with Ctrl+C in its terminal, or kill -INT ${l.pid}`;
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
