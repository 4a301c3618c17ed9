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

/** Every open file of the processes we may look at: target path → its (pid, fd) pairs. */
type OpenFiles = Map<string, [string, string][]>;

/** A burst of files is checked against one listing (a busy host has tens of thousands of fds). */
const SNAPSHOT_MS = 500;
let snapshot: { at: number; open: OpenFiles } | undefined;

/** `since`: a listing older than that cannot know the file's writer (it may have opened it since). */
function openFiles(since: number): OpenFiles | undefined {
  if (snapshot && snapshot.at > since && Date.now() - snapshot.at < SNAPSHOT_MS)
    return snapshot.open;
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return undefined; // no /proc (macOS, Windows): only the stable time applies
  }
  const listed = Date.now();
  const open: OpenFiles = new Map();
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process, or gone
    }
    for (const fd of fds) {
      try {
        const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (!target.startsWith('/')) continue; // pipes, sockets
        const list = open.get(target);
        if (list) list.push([pid, fd]);
        else open.set(target, [[pid, fd]]);
      } catch {
        // closed meanwhile
      }
    }
  }
  snapshot = { at: listed, open };
  return open;
}

/** The pid of a process that has `file` open for writing, if any (undefined without /proc). */
export function writerOf(file: string): number | undefined {
  let real: string;
  let changed: number;
  try {
    real = fs.realpathSync(file);
    const st = fs.statSync(real);
    changed = Math.max(st.mtimeMs, st.ctimeMs);
  } catch {
    return undefined;
  }
  // A writer that still has the file open had it open at its last write.
  for (const [pid, fd] of openFiles(changed)?.get(real) ?? [])
    if (writes(pid, fd)) return Number(pid);
  return undefined;
}
