/** The append-only JSONL run record: every event written as it happens, so a crash loses nothing before it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type RunEvent, parseEventLog } from '../../core/run/events';

export class EventLog {
  private fd: number;
  /** A write failed (a full disk): nothing more is written, so the record never has a gap. */
  private broken = false;

  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.fd = fs.openSync(file, 'a');
  }

  private held: string[] | undefined;

  /**
   * One write per event: the OS has it even if this process is killed right after. Returns the
   * line's length in bytes (undefined once closed).
   */
  append(e: RunEvent): number | undefined {
    if (this.fd < 0 || this.broken) return undefined;
    const line = JSON.stringify(e) + '\n';
    if (this.held) this.held.push(line);
    else this.write(line);
    return Buffer.byteLength(line);
  }

  /**
   * All of `text` or an error: a disk that fills takes part of a write without an error, and the
   * next line must not follow a torn one. After an error nothing more is written (a torn last
   * line is what a reader tolerates).
   */
  private write(text: string): void {
    try {
      const n = fs.writeSync(this.fd, text);
      if (n === Buffer.byteLength(text)) return;
      const bytes = Buffer.from(text);
      for (let at = n; at < bytes.length;) at += fs.writeSync(this.fd, bytes, at);
    } catch (e) {
      this.broken = true;
      throw e;
    }
  }

  /** Writes the events of `fn` in one system call (e.g. thousands of skips decided at once). */
  batch(fn: () => void): void {
    this.held = [];
    try {
      fn();
    } finally {
      const lines = this.held;
      this.held = undefined;
      if (lines.length > 0 && this.fd >= 0 && !this.broken) this.write(lines.join(''));
    }
  }

  close(): void {
    if (this.fd < 0) return;
    try {
      fs.fsyncSync(this.fd);
    } finally {
      fs.closeSync(this.fd);
      this.fd = -1;
    }
  }
}

/** Run ids of a folder's records, oldest first. */
export function listRuns(runsDir: string): string[] {
  try {
    return fs
      .readdirSync(runsDir)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => f.slice(0, -'.jsonl'.length))
      .sort();
  } catch {
    return [];
  }
}

export function readRun(runsDir: string, id: string): RunEvent[] {
  try {
    return parseEventLog(fs.readFileSync(path.join(runsDir, `${id}.jsonl`), 'utf8'));
  } catch {
    return [];
  }
}
