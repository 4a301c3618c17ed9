/**
 * A tiny shell process per run that outlives the runner: the runner tells it on a pipe which task
 * process groups (and Slurm jobs) are live; when that pipe closes (the runner exited or died: kill -9, OOM,
 * a crash), it ends them: scancel for jobs, TERM for groups, then KILL after the grace period.
 * A normal end is the same close with nothing left live, after a `bye` line. Without that line
 * (the runner died), the local executor's watchdog also ends the processes its tasks moved out of
 * their groups (setsid, daemons): those of this user whose environment holds the run's
 * TRIBUTARY_RUN_ID. It is in its own session, so the terminal's SIGHUP/SIGINT that may end the
 * runner spare it.
 */
import { spawn, type ChildProcess } from 'node:child_process';

// POSIX sh (dash here): `+g123` / `-g123` a process group, `+j45` / `-j45` a Slurm job, `bye`
// the runner's normal end. Only a few items are live at once (one per worker), so the string
// stays short. `Lj45 PATH` (before `+j45`): the job's task log; if the runner dies, a line there
// says when (the log's time is then the task's last sign of life for `history`), as the
// launcher does for local tasks. $3: the run id whose processes it ends if the runner dies (empty: none).
// escaped: this user's processes (never this one) whose environment holds TRIBUTARY_RUN_ID=$3
// (GNU grep -z reads the NUL-separated /proc/<pid>/environ; without it, none are found).
const SCRIPT = `
trap '' HUP INT
tenths=$1 run=$3 bye=
nl='
'
logs=$nl
escaped() {
  [ -n "$run" ] && [ -z "$bye" ] || return 0
  for f in $(grep -lsxzF "TRIBUTARY_RUN_ID=$run" /proc/[0-9]*/environ); do
    p=\${f#/proc/}; p=\${p%/environ}
    [ "$p" != $$ ] && [ -O "$f" ] && echo "$p"
  done
}
items=' '
while IFS= read -r l; do
  case $l in
    bye) bye=1 ;;
    +*) items="$items\${l#+} " ;;
    L*) logs="$logs\${l#L}$nl" ;;
    -*) x=\${l#-}; case $items in *" $x "*) items="\${items%%" $x "*} \${items#*" $x "}" ;; esac
      case $logs in *"$nl$x "*) rest=\${logs#*"$nl$x "}; logs="\${logs%%"$nl$x "*}$nl\${rest#*"$nl"}" ;; esac ;;
  esac
done
groups= jobs=
for x in $items; do
  case $x in g*) groups="$groups \${x#g}" ;; j*) jobs="$jobs \${x#j}" ;; esac
done
if [ -z "$bye" ]; then
  when=$(date '+%Y-%m-%d %H:%M:%S')
  for j in $jobs; do
    case $logs in *"\${nl}j$j "*) ;; *) continue ;; esac
    f=\${logs#*"\${nl}j$j "}; f=\${f%%"$nl"*}
    # On a line of its own after what the runner wrote.
    pre=; [ -n "$(tail -c 1 "$f" 2>/dev/null)" ] && pre=$nl
    printf '%stributary: the runner stopped at %s before this task ended (killed?): its Slurm job %s is cancelled now\\n' "$pre" "$when" "$j" >> "$f" 2>/dev/null
  done
fi
# Repeated while slurmctld does not answer (every 5 s, up to 10 minutes), never for other errors.
stopjobs() {
  end=$(($(date +%s) + 600))
  while :; do
    err=$(scancel "$@" 2>&1 >/dev/null) && return
    case $err in *'Unable to contact'*|*'timed out'*|*'Zero Bytes'*|*standby*) ;; *) return ;; esac
    [ "$(date +%s)" -lt $end ] || return
    sleep 5
  done
}
[ -n "$jobs" ] && stopjobs $jobs &
set -- $groups
for g; do kill -s TERM -- "-$g" 2>/dev/null; done
esc=$(escaped)
[ -n "$esc" ] && kill -s TERM $esc 2>/dev/null
i=0
while { [ $# -gt 0 ] || [ -n "$esc" ]; } && [ $i -lt "$tenths" ]; do
  left=
  for g; do kill -s 0 -- "-$g" 2>/dev/null && left=1; done
  [ -n "$esc" ] && esc=$(escaped) && [ -n "$esc" ] && left=1
  [ -z "$left" ] && break
  sleep 0.1
  i=$((i+1))
done
for g; do kill -s KILL -- "-$g" 2>/dev/null; done
esc=$(escaped)
[ -n "$esc" ] && kill -s KILL $esc 2>/dev/null
wait
`;

export class Watchdog {
  private child: ChildProcess | undefined;
  private closed = false;

  /** Shows in `ps` (the run id), so a person can tell what the process is; set before first use. */
  label = '';

  /** `sweepRun`: if the runner dies, also end the processes carrying its run id (the local executor). */
  constructor(
    private readonly graceMs: number,
    private readonly sweepRun = false,
  ) {}

  addGroup(pgid: number): void {
    this.send(`+g${pgid}`);
  }

  removeGroup(pgid: number): void {
    this.send(`-g${pgid}`);
  }

  /** `log`: the task's log file, where a line says when the runner stopped if it dies. */
  addJob(id: string, log?: string): void {
    if (log !== undefined && !log.includes('\n')) this.send(`Lj${id} ${log}`);
    this.send(`+j${id}`);
  }

  removeJob(id: string): void {
    this.send(`-j${id}`);
  }

  /** The runner is done: the watchdog ends what is still listed (normally nothing) and exits. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    // A normal end: what tasks left outside their groups on purpose (a service) is theirs.
    this.child?.stdin?.end('bye\n');
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
      // Without the run id the runner may have inherited (a run started by a task of another run):
      // that run's cancel ends what carries its id, and this watchdog must outlive it.
      const { TRIBUTARY_RUN_ID: _, ...env } = process.env;
      const child = spawn(
        '/bin/sh',
        [
          '-c',
          SCRIPT,
          'tributary-watchdog',
          String(Math.ceil(this.graceMs / 100)),
          this.label,
          this.sweepRun ? this.label : '',
        ],
        { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env },
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
