/**
 * Is a file still open for writing by a process of this machine? Read from /proc (Linux), as
 * `lsof` does: a trigger file whose writer paused longer than the stable time (a slow copy, a
 * stalled download) must not start a run on half a file. Elsewhere, or for a writer on another
 * machine of a shared folder, only the stable time applies.
 */
import * as fs from 'node:fs';

/** O_ACCMODE bits of `flags:` in /proc/PID/fdinfo/FD: 1 = O_WRONLY, 2 = O_RDWR. */
const ACCMODE = 0o3;

function writes(pid: string, fd: string): boolean {
  try {
    const info = fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    const flags = /^flags:\s*([0-7]+)/m.exec(info)?.[1];
    return flags !== undefined && (parseInt(flags, 8) & ACCMODE) !== 0;
  } catch {
    return false; // closed meanwhile
  }
}

/** The pid of a process that has `file` open for writing, if any (undefined without /proc). */
export function writerOf(file: string): number | undefined {
  let real: string;
  let pids: string[];
  try {
    real = fs.realpathSync(file);
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined;
  }
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target === real && writes(pid, fd)) return Number(pid);
    }
  }
  return undefined;
}
