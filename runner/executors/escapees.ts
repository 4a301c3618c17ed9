/**
 * Ending processes without signalling a reused pid: groups (the next run's sweep of a dead run)
 * and the processes a run's tasks moved out of their groups (`setsid`, a double fork), found by
 * the run's `TRIBUTARY_RUN_ID` (and task) in their environment, on a cancel or a timeout.
 */
import { alive, findByEnv, startTime, type ProcRef } from './procInfo';

export type Target = { group: number } | ProcRef;

function signal(t: Target, sig: NodeJS.Signals | 0): boolean {
  try {
    if ('group' in t) process.kill(-t.group, sig);
    else if (sig === 0 ? alive(t) : startTime(t.pid) === t.start) process.kill(t.pid, sig);
    else return false;
    return true;
  } catch {
    return false;
  }
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** TERM, then KILL after the grace period to what is left; resolves once all are gone (or 2 s after KILL). */
export async function endTargets(targets: Target[], graceMs: number): Promise<void> {
  for (const t of targets) signal(t, 'SIGTERM');
  const until = Date.now() + graceMs;
  let left = targets;
  while (left.length > 0 && Date.now() < until) {
    await pause(50);
    left = left.filter((t) => signal(t, 0));
  }
  await killAll(left);
}

async function killAll(targets: Target[]): Promise<void> {
  for (const t of targets) signal(t, 'SIGKILL');
  const gone = Date.now() + 2000;
  let left = targets;
  while (left.length > 0 && Date.now() < gone) {
    await pause(25);
    left = left.filter((t) => signal(t, 0));
  }
}

/**
 * Ends every process of this user whose environment holds `entries` (never one in `exclude`):
 * TERM now, KILL at the end of the grace period (at once after `force()`). While some are left,
 * /proc is read again once those seen are gone, so one started meanwhile (a daemon's second fork)
 * is ended too; at the deadline, whatever still carries the entries is KILLed.
 */
export class EscapeeSweep {
  /** How many processes it signalled, once none is left. */
  readonly done: Promise<number>;
  private forced = false;
  private wake: () => void = () => {};

  constructor(
    private readonly entries: string[],
    graceMs: number,
    private readonly exclude: () => ReadonlySet<number>,
  ) {
    this.done = this.sweep(Date.now() + graceMs);
  }

  /** A second Ctrl+C: KILL now, without the rest of the grace period. */
  force(): void {
    this.forced = true;
    this.wake();
  }

  private scan(): ProcRef[] {
    return findByEnv(this.entries, this.exclude());
  }

  private async sweep(deadline: number): Promise<number> {
    const termed = new Set<string>();
    for (;;) {
      const now = this.scan();
      if (now.length === 0) return termed.size;
      if (this.forced || Date.now() >= deadline) {
        await killAll(now);
        // Forked between the scan and the KILL: once more, then done.
        await killAll(this.scan());
        for (const p of now) termed.add(`${p.pid} ${p.start}`);
        return termed.size;
      }
      for (const p of now) {
        const key = `${p.pid} ${p.start}`;
        if (termed.has(key)) continue;
        termed.add(key);
        signal(p, 'SIGTERM');
      }
      let left = now;
      while (left.length > 0 && !this.forced && Date.now() < deadline) {
        await new Promise<void>((r) => {
          const t = setTimeout(r, 50);
          this.wake = () => {
            clearTimeout(t);
            r();
          };
        });
        left = left.filter((p) => alive(p));
      }
    }
  }
}
