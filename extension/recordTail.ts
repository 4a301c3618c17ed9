/** Reads a growing run record incrementally: from the last offset, whole lines only (a torn last line waits). */
import * as fs from 'node:fs';
import { parseEventLine, type RunEvent } from '../core/run/events';

const NEWLINE = 0x0a;

export class RecordTail {
  private offset = 0;
  /** Bytes after the last newline: a line still being written (kept as bytes: a UTF-8 character may be split). */
  private rest: Buffer = Buffer.alloc(0);

  constructor(readonly file: string) {}

  /** The events of the whole lines written since the last call. */
  read(): RunEvent[] {
    let fd: number;
    try {
      fd = fs.openSync(this.file, 'r');
    } catch {
      return [];
    }
    let chunk: Buffer;
    try {
      const size = fs.fstatSync(fd).size;
      if (size <= this.offset) return [];
      chunk = Buffer.alloc(size - this.offset);
      const n = fs.readSync(fd, chunk, 0, chunk.length, this.offset);
      chunk = chunk.subarray(0, n);
      this.offset += n;
    } finally {
      fs.closeSync(fd);
    }
    const data = this.rest.length > 0 ? Buffer.concat([this.rest, chunk]) : chunk;
    const end = data.lastIndexOf(NEWLINE);
    if (end < 0) {
      this.rest = data;
      return [];
    }
    this.rest = Buffer.from(data.subarray(end + 1));
    const out: RunEvent[] = [];
    for (const line of data.toString('utf8', 0, end).split('\n')) {
      const e = parseEventLine(line);
      if (e) out.push(e);
    }
    return out;
  }
}
