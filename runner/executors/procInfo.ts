/** Facts about processes from /proc (Linux): start times that tell a live process from a reused pid, environments. */
import * as fs from 'node:fs';
import * as os from 'node:os';

/** The process's start time in clock ticks since boot, or undefined (gone, or no /proc). */
export function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/**
 * Whether pid has exited and waits for its parent to collect it: a runner killed (-9) whose parent
 * does not reap it stays a zombie, and still answers `kill -0` and /proc with its start time.
 */
export function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Who we are, written beside what we start so a later run can tell whether we are still alive. */
export interface Owner {
  host: string;
  pid: number;
  start: string;
}

export function self(): Owner {
  return { host: os.hostname(), pid: process.pid, start: startTime(process.pid) ?? '?' };
}

/** Alive, dead, or unknown (another machine, or no /proc to check the start time against). */
export function ownerState(o: Owner): 'alive' | 'dead' | 'unknown' {
  if (o.host !== os.hostname()) return 'unknown';
  if (isZombie(o.pid)) return 'dead';
  const now = startTime(o.pid);
  if (now !== undefined) return now === o.start ? 'alive' : 'dead';
  try {
    process.kill(o.pid, 0);
    return 'unknown'; // alive, but its start time cannot be read: maybe a reused pid, maybe not
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? 'unknown' : 'dead';
  }
}

export interface ProcEntry {
  pid: number;
  pgid: number;
  start: string;
}

/** Every process of the machine with its group and start time (empty without /proc). */
export function listProcesses(): ProcEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcEntry[] = [];
  for (const n of names) {
    if (!/^\d+$/.test(n)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${n}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (f[0] === 'Z') continue; // a zombie holds nothing
      out.push({ pid: Number(n), pgid: Number(f[2]), start: f[19] ?? '' });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/** Whether a process's environment (as it was exec'd) holds every entry, e.g. `TRIBUTARY_RUN_ID=…`. */
export function environHas(pid: number, ...entries: string[]): boolean {
  try {
    const env = fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
    return entries.every((e) => env.includes(e));
  } catch {
    return false;
  }
}

/** A process told apart from a later one with the same pid. */
export interface ProcRef {
  pid: number;
  start: string;
}

/** Whether the process is still there (the same one, not a zombie: a zombie holds nothing). */
export function alive(p: ProcRef): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${p.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return f[0] !== 'Z' && f[19] === p.start;
  } catch {
    return false;
  }
}

/**
 * The processes of this user whose environment holds every entry (but those in `exclude`):
 * what a task started outside its process group (`setsid`, a daemon's double fork) still
 * inherits. Reads all of /proc: for a cancel, a timeout or a dead runner, never per task.
 */
export function findByEnv(entries: string[], exclude: ReadonlySet<number>): ProcRef[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const out: ProcRef[] = [];
  for (const n of names) {
    if (n.charCodeAt(0) > 57 || !/^\d+$/.test(n)) continue;
    const pid = Number(n);
    if (exclude.has(pid)) continue;
    try {
      // Another user's processes are not ours to end (root could read their environment).
      if (uid !== undefined && fs.statSync(`/proc/${n}`).uid !== uid) continue;
    } catch {
      continue;
    }
    if (!environHas(pid, ...entries)) continue;
    const start = startTime(pid);
    if (start !== undefined) out.push({ pid, start });
  }
  return out;
}
