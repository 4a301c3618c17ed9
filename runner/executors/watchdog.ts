/**
 * A tiny shell process per run that outlives the runner: the runner tells it on a pipe which task
 * process groups (and Slurm jobs) are live; when that pipe closes (the runner exited or died: kill -9, OOM,
 * a crash), it ends them: scancel for jobs, TERM for groups, then KILL after the grace period.
 * A normal end is the same close with nothing left live. It is in its own session, so the
 * terminal's SIGHUP/SIGINT that may end the runner spare it.
 */
import { spawn, type ChildProcess } from 'node:child_process';

// POSIX sh (dash here): `+g123` / `-g123` a process group, `+j45` / `-j45` a Slurm job.
// Only a few items are live at once (one per worker), so the string stays short.
const SCRIPT = `
trap '' HUP INT
tenths=$1
items=' '
while IFS= read -r l; do
  case $l in
    +*) items="$items\${l#+} " ;;
    -*) x=\${l#-}; case $items in *" $x "*) items="\${items%%" $x "*} \${items#*" $x "}" ;; esac ;;
  esac
done
groups= jobs=
for x in $items; do
  case $x in g*) groups="$groups \${x#g}" ;; j*) jobs="$jobs \${x#j}" ;; esac
done
[ -n "$jobs" ] && scancel $jobs >/dev/null 2>&1 &
set -- $groups
for g; do kill -s TERM -- "-$g" 2>/dev/null; done
i=0
while [ $# -gt 0 ] && [ $i -lt "$tenths" ]; do
  left=
  for g; do kill -s 0 -- "-$g" 2>/dev/null && left=1; done
  [ -z "$left" ] && break
  sleep 0.1
  i=$((i+1))
done
for g; do kill -s KILL -- "-$g" 2>/dev/null; done
wait
`;

export class Watchdog {
  private child: ChildProcess | undefined;
  private closed = false;

  /** Shows in `ps` (the run id), so a person can tell what the process is; set before first use. */
  label = '';

  constructor(private readonly graceMs: number) {}

  addGroup(pgid: number): void {
    this.send(`+g${pgid}`);
  }

  removeGroup(pgid: number): void {
    this.send(`-g${pgid}`);
  }

  addJob(id: string): void {
    this.send(`+j${id}`);
  }

  removeJob(id: string): void {
    this.send(`-j${id}`);
  }

  /** The runner is done: the watchdog ends what is still listed (normally nothing) and exits. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.child?.stdin?.end();
    this.child = undefined;
  }

  /** The process id (tests kill it to simulate losing both). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Starts the process now if it is not running: call before starting a task, since spawning
   * from a large runner takes milliseconds in which a kill -9 would leave the task unguarded.
   */
  prepare(): void {
    if (!this.closed) this.ensure();
  }

  private send(line: string): void {
    if (this.closed) return;
    this.ensure()?.stdin?.write(line + '\n');
  }

  private ensure(): ChildProcess | undefined {
    if (this.child) return this.child;
    try {
      const child = spawn(
        '/bin/sh',
        ['-c', SCRIPT, 'tributary-watchdog', String(Math.ceil(this.graceMs / 100)), this.label],
        { detached: true, stdio: ['pipe', 'ignore', 'ignore'] },
      );
      // Never keep the runner alive, and a watchdog that died must not crash the runner.
      child.on('error', () => {});
      child.stdin?.on('error', () => {});
      child.unref();
      (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
      this.child = child;
    } catch {
      // No /bin/sh: the next run's sweep (groupLog) is the fallback.
    }
    return this.child;
  }
}
