/** Crash-safe file replacement: write a temp file, fsync it, rename over the target. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writeFileAtomic(file: string, data: string): void {
  writeFileAtomicChunks(file, (write) => write(data));
}

/** Chunks written in one system call each, up to this many characters. */
const CHUNK = 64 * 1024;

/**
 * The same, the content given piece by piece by `fill`: a large file (state.json of 10,000
 * tasks, 4 MB, saved every second of a run) is never one string in memory.
 */
export function writeFileAtomicChunks(
  file: string,
  fill: (write: (s: string) => void) => void,
): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    let held = '';
    fill((s) => {
      held += s;
      if (held.length >= CHUNK) {
        fs.writeSync(fd, held);
        held = '';
      }
    });
    if (held.length > 0) fs.writeSync(fd, held);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
