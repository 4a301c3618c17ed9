/**
 * Runs a task's command with the shell in its own process group, so a timeout or a cancel can
 * end the whole tree: TERM to the group, then KILL after a grace period. No orphans survive,
 * not even background children of a task that succeeded, nor the runner itself: a watchdog
 * ends the live groups if the runner dies, and the group log lets the next run do it too.
 * What a task moves out of its group (`setsid`, a daemon) still carries TRIBUTARY_RUN_ID: a
 * cancel ends the run's, a timeout the task's (escapees.ts), the watchdog those of a dead runner.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { EscapeeSweep } from './escapees';
import { GroupLog } from './groupLog';
import { Launcher } from './launcher';
import type { Attempt, AttemptResult, Executor, RunningAttempt } from './types';
import { Watchdog } from './watchdog';

/** `sh -c HOLD SHELL CMD`: wait for the runner's go, then become SHELL -c CMD with no stdin. */
const HOLD_UNTIL_TRACKED = 'IFS= read -r go || exit 0; exec "$0" -c "$1" </dev/null';

export function defaultShell(): string {
  return fs.existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export interface LocalOptions {
  /** Where to record live process groups for the next run (`.tributary/groups`); none: not recorded. */
  groupsDir?: string;
  /**
   * Start tasks through the persistent launcher when Perl is there (default true; false, or
   * TRIBUTARY_LAUNCHER=0, spawns each task from Node).
   */
  launcher?: boolean;
}

export class LocalExecutor implements Executor {
  readonly name = 'local';
  private readonly watchdog: Watchdog;
  private readonly groupLog: GroupLog | undefined;
  /** Created with the first task; null where there is none (no Perl, or switched off). */
  private launcher: Launcher | null | undefined;
  /** Per run, started by its first cancel: ends every process of the run, in its groups or not. */
  private readonly runSweeps = new Map<string, EscapeeSweep>();
  /** Per run: stops listening to its cancel (at dispose). */
  private readonly unlisten = new Map<string, () => void>();

  constructor(
    private readonly shell = defaultShell(),
    private readonly graceMs = 5000,
    private readonly o: LocalOptions = {},
  ) {
    this.watchdog = new Watchdog(graceMs, true);
    this.groupLog = o.groupsDir ? new GroupLog(o.groupsDir) : undefined;
  }

  /** Tells the watchdog (the launcher is its own) and the group log about a live or gone group. */
  private track(pid: number | undefined, run: string, live: boolean, launched = false): void {
    if (pid === undefined) return;
    if (live) {
      if (!launched) this.watchdog.addGroup(pid);
      this.groupLog?.add(run, pid);
    } else {
      if (!launched) this.watchdog.removeGroup(pid);
      this.groupLog?.remove(pid);
    }
  }

  async dispose(): Promise<void> {
    for (const off of this.unlisten.values()) off();
    this.unlisten.clear();
    await Promise.all([...this.runSweeps.values()].map((s) => s.done));
    this.launcher?.close();
    this.watchdog.close();
    this.groupLog?.close();
  }

  /** Never the runner, its launcher or its watchdog (which do not carry the run's id anyway). */
  private readonly ours = (): ReadonlySet<number> =>
    new Set([process.pid, this.launcher?.pid ?? -1, this.watchdog.pid ?? -1]);

  /**
   * A task stops (cancel, timeout): the processes it moved out of its group end with it. A cancel
   * is the run's (the engine cancels attempts only then): everything of the run, in one sweep; a
   * timeout, those of this task (instance) only. Settles once they are gone.
   */
  private endEscaped(
    a: Attempt,
    why: 'cancelled' | 'timed_out',
    force: boolean,
  ): EscapeeSweep | undefined {
    // No run id (an executor used on its own): nothing tells its processes from anybody's.
    if (!a.env.TRIBUTARY_RUN_ID) return undefined;
    const run = `TRIBUTARY_RUN_ID=${a.env.TRIBUTARY_RUN_ID}`;
    let sweep = why === 'cancelled' ? this.runSweeps.get(run) : undefined;
    if (!sweep && why === 'cancelled') {
      sweep = new EscapeeSweep([run], this.graceMs, this.ours);
      this.runSweeps.set(run, sweep);
    }
    sweep ??= new EscapeeSweep(
      [run, `TRIBUTARY_TASK=${a.env.TRIBUTARY_TASK ?? a.task}`].concat(
        a.env.TRIBUTARY_PARTITION !== undefined
          ? [`TRIBUTARY_PARTITION=${a.env.TRIBUTARY_PARTITION}`]
          : [],
      ),
      this.graceMs,
      this.ours,
    );
    if (force) sweep.force();
    return sweep;
  }

  /**
   * The run's cancel reaches the executor even with none of its tasks running (a retry's wait):
   * what its finished tasks left outside their groups ends too. Once per run; cheap (a listener).
   */
  private listen(a: Attempt): void {
    const run = a.env.TRIBUTARY_RUN_ID;
    const { cancel, kill } = a.runSignals ?? {};
    if (!run || !cancel || this.unlisten.has(run)) return;
    const onCancel = (): void => void this.endEscaped(a, 'cancelled', !!kill?.aborted);
    const onKill = (): void => void this.endEscaped(a, 'cancelled', true);
    cancel.addEventListener('abort', onCancel, { once: true });
    kill?.addEventListener('abort', onKill, { once: true });
    this.unlisten.set(run, () => {
      cancel.removeEventListener('abort', onCancel);
      kill?.removeEventListener('abort', onKill);
    });
  }

  start(a: Attempt): RunningAttempt {
    this.listen(a);
    const run = a.env.TRIBUTARY_RUN_ID ?? '';
    if (this.launcher === undefined)
      this.launcher =
        this.o.launcher === false ? null : (Launcher.create(this.shell, this.graceMs, run) ?? null);
    // A launcher killed on its own (its tasks were ended with it), or full: Node spawns the rest.
    return this.launcher?.roomy ? this.launch(this.launcher, a, run) : this.spawnStart(a, run);
  }

  /** The same life as spawnStart's, with the launcher doing the fork and exec. */
  private launch(launcher: Launcher, a: Attempt, run: string): RunningAttempt {
    let pid: number | undefined;
    let stopping: 'cancelled' | 'timed_out' | undefined;
    let forced = false;
    let escaped: EscapeeSweep | undefined;
    const term = (): void => {
      signalGroup(pid, forced ? 'SIGKILL' : 'SIGTERM');
      setTimeout(() => signalGroup(pid, 'SIGKILL'), this.graceMs).unref();
    };
    const stop = (why: 'cancelled' | 'timed_out'): void => {
      if (stopping) return;
      stopping = why;
      if (pid !== undefined) term(); // else once it has started
      escaped = this.endEscaped(a, why, forced);
    };
    const timeout = a.timeoutMs ? setTimeout(() => stop('timed_out'), a.timeoutMs) : undefined;
    let pipeClosed!: () => void;
    const closed = new Promise<void>((r) => (pipeClosed = r));
    const done = new Promise<AttemptResult>((settle) => {
      // A stopped task is over once what it moved out of its group is gone too.
      const resolve = (r: AttemptResult): void =>
        void (escaped ? escaped.done.then(() => settle(r)) : settle(r));
      launcher.start(a, {
        closed: () => pipeClosed(),
        started: (p) => {
          pid = p;
          this.track(p, run, true, true);
          if (stopping) term();
        },
        output: (chunk) => a.onOutput('stdout', chunk),
        exited: (code, signal, left) => {
          if (timeout) clearTimeout(timeout);
          const r = result(code, signal, stopping, a.timeoutMs);
          if (!left) {
            this.track(pid, run, false, true);
            return resolve(r);
          }
          // The shell is gone, processes of its group are not: what it did not wait for (a
          // process substitution `>(cat)`, a `cmd &`) gets LINGER_MS to end on its own, then the
          // group is ended, since whatever is left would be an orphan: TERM, KILL after at most
          // 1 s (when stopping, TERM went already and KILL comes after the whole grace period).
          // Its pipe is read all along, so what it prints meanwhile is kept; a process outside
          // the group holding the pipe is not waited for long.
          const linger = stopping ? Promise.resolve() : groupEnded(pid, LINGER_MS);
          void linger
            .then(() => {
              if (!stopping && signalGroup(pid, 'SIGTERM'))
                setTimeout(() => signalGroup(pid, 'SIGKILL'), Math.min(this.graceMs, 1000)).unref();
              return groupGone(pid, this.graceMs);
            })
            .then(() => within(closed, 2000))
            .then(() => {
              this.track(pid, run, false, true);
              resolve(r);
            });
        },
        failed: (message) => {
          if (timeout) clearTimeout(timeout);
          resolve({ status: 'failed', exitCode: null, message });
        },
      });
    });
    return {
      done,
      cancel: (force) => {
        forced ||= !!force;
        stop('cancelled');
        if (force) {
          signalGroup(pid, 'SIGKILL'); // a second Ctrl+C: no grace period
          escaped?.force();
        }
      },
    };
  }

  private spawnStart(a: Attempt, run: string): RunningAttempt {
    this.watchdog.label ||= run;
    this.watchdog.prepare();
    // The task's shell waits for a line from us before it runs the command: we hand its group
    // to the watchdog first, so a runner killed right after the spawn never leaves it unguarded
    // (on EOF instead of the line, nothing runs). `exec` keeps the pid, hence the group.
    const child = spawn('/bin/sh', ['-c', HOLD_UNTIL_TRACKED, this.shell, a.command], {
      cwd: a.cwd,
      env: a.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    this.track(pid, run, true);
    child.stdin.on('error', () => {});
    child.stdin.end('go\n');
    let stopping: 'cancelled' | 'timed_out' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let stoppedAt = 0;
    let escaped: EscapeeSweep | undefined;
    const stop = (why: 'cancelled' | 'timed_out', force = false): void => {
      if (stopping) return;
      stopping = why;
      stoppedAt = Date.now();
      signalGroup(pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), this.graceMs);
      killTimer.unref();
      escaped = this.endEscaped(a, why, force);
    };
    const timeout = a.timeoutMs ? setTimeout(() => stop('timed_out'), a.timeoutMs) : undefined;
    child.stdout.on('data', (c: Buffer) => a.onOutput('stdout', c));
    child.stderr.on('data', (c: Buffer) => a.onOutput('stderr', c));

    const done = new Promise<AttemptResult>((settle) => {
      // A stopped task is over once what it moved out of its group is gone too.
      const resolve = (r: AttemptResult): void =>
        void (escaped ? escaped.done.then(() => settle(r)) : settle(r));
      let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
      let closed = false;
      let closeTimer: NodeJS.Timeout | undefined;
      const finish = (): void => {
        if (!exit || !closed) return;
        if (timeout) clearTimeout(timeout);
        if (closeTimer) clearTimeout(closeTimer);
        const r = result(exit.code, exit.signal, stopping, a.timeoutMs);
        void groupGone(pid, this.graceMs).then(() => {
          this.track(pid, run, false);
          resolve(r);
        });
      };
      child.on('error', (err) => {
        if (timeout) clearTimeout(timeout);
        resolve({
          status: 'failed',
          exitCode: null,
          message: `could not start the shell ${this.shell}: ${err.message}`,
        });
      });
      child.on('exit', (code, signal) => {
        exit = { code, signal };
        // The shell is gone: whatever it left in its group would be an orphan, so end it
        // (when stopping, TERM went already and KILL comes after the whole grace period).
        if (!stopping && signalGroup(pid, 'SIGTERM'))
          setTimeout(() => signalGroup(pid, 'SIGKILL'), Math.min(this.graceMs, 1000)).unref();
        // Background children may hold the pipes open: stop waiting for them after a moment
        // (when stopping, after the group's whole grace period: its KILL comes from stop()).
        closeTimer = setTimeout(
          () => {
            signalGroup(pid, 'SIGKILL');
            child.stdout.destroy();
            child.stderr.destroy();
            closed = true;
            finish();
          },
          stopping ? Math.max(2000, this.graceMs - (Date.now() - stoppedAt) + 1000) : 2000,
        );
        finish();
      });
      child.on('close', () => {
        closed = true;
        finish();
      });
    });
    return {
      done,
      cancel: (force) => {
        stop('cancelled', !!force);
        if (force) {
          signalGroup(pid, 'SIGKILL'); // a second Ctrl+C: no grace period
          escaped?.force();
        }
      },
    };
  }
}

/** How long what a task's shell left running may go on before its group is ended. */
const LINGER_MS = 500;

/** Resolves when no process of the group is left, or after `ms`; sends no signal. */
async function groupEnded(pid: number | undefined, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && signalGroup(pid, 0 as unknown as NodeJS.Signals))
    await new Promise((r) => setTimeout(r, 25));
}

/** `p`, or after `ms` whichever comes first. */
function within(p: Promise<void>, ms: number): Promise<void> {
  return Promise.race([p, new Promise<void>((r) => setTimeout(r, ms).unref())]);
}

/** Resolves once no process of the group is left: TERM was sent already; KILL after the grace period. */
async function groupGone(pid: number | undefined, graceMs: number): Promise<void> {
  const started = Date.now();
  let killed = false;
  while (signalGroup(pid, 0 as unknown as NodeJS.Signals)) {
    if (!killed && Date.now() - started >= graceMs) {
      signalGroup(pid, 'SIGKILL');
      killed = true;
    }
    if (killed && Date.now() - started > graceMs + 1000) return; // only zombies left
    await new Promise((r) => setTimeout(r, 25));
  }
}

function result(
  code: number | null,
  signal: NodeJS.Signals | null,
  stopping: 'cancelled' | 'timed_out' | undefined,
  timeoutMs?: number,
): AttemptResult {
  if (stopping === 'timed_out')
    return { status: 'timed_out', exitCode: code, message: `timed out after ${timeoutMs} ms` };
  if (stopping === 'cancelled')
    return { status: 'cancelled', exitCode: code, message: 'cancelled' };
  if (code === 0) return { status: 'success', exitCode: 0 };
  if (signal) return { status: 'failed', exitCode: code, message: `killed by ${signal}` };
  return { status: 'failed', exitCode: code, message: `exit code ${code}` };
}
