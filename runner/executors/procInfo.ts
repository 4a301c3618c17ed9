/** Facts about processes from /proc (Linux): start times that tell a live process from a reused pid. */
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

/** Whether a process's environment (as it was exec'd) holds `entry`, e.g. `TRIBUTARY_RUN_ID=…`. */
export function environHas(pid: number, entry: string): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(entry);
  } catch {
    return false;
  }
}
