/**
 * A task's output: split into lines for the live view, copied to its log file (after a header line
 * naming the attempt: all attempts of a task in one run share the file), last lines kept
 * for summaries. Progress drawn with carriage returns (tqdm's `\r 42%|████ |`) is shown live, at
 * most once a second, with its final state when the line ends; a line that never ends is cut
 * into pieces, so the buffer stays bounded whatever a task prints.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { maskSecrets } from './secretEnv';

const TAIL = 20;
/** The longest line kept whole; longer ones are shown in pieces of this size. */
export const MAX_LINE = 64 * 1024;
/** At most one progress update a second per stream reaches the live view. */
const PROGRESS_MS = 1000;

type Stream = 'stdout' | 'stderr';

/** Which attempt a log section belongs to: `n` of `of` (1 + retries), started at `at`. */
export interface AttemptHeader {
  n: number;
  of: number;
  at: Date;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-30 14:02:11`, local time: when an attempt started, as its header says it. */
export function headerTime(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `── attempt 2 of 3 · 2026-11-30 14:02:11 ──` (local time): the line that opens each attempt's section. */
export function attemptHeader(h: AttemptHeader): string {
  return `── attempt ${h.n} of ${h.of} · ${headerTime(h.at)} ──`;
}

const HEADER = /^── attempt (\d+) of (\d+) · ([^\n]*) ──$/;

export interface LogSection {
  /** 0: text before any header (a log written before headers existed). */
  attempt: number;
  of: number;
  /** When the attempt started, as the header says it. */
  started: string;
  lines: string[];
}

/** A task's log of one run cut into its attempts' sections, in order. */
export function splitAttempts(text: string): LogSection[] {
  const sections: LogSection[] = [];
  let current: LogSection = { attempt: 0, of: 0, started: '', lines: [] };
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  for (const line of lines) {
    const m = HEADER.exec(line);
    if (!m) {
      current.lines.push(line);
      continue;
    }
    if (current.attempt > 0 || current.lines.length > 0) sections.push(current);
    current = { attempt: Number(m[1]), of: Number(m[2]), started: m[3]!, lines: [] };
  }
  if (current.attempt > 0 || current.lines.length > 0) sections.push(current);
  return sections;
}

export class TaskOutput {
  private fd = -1;
  private readonly partial: Record<Stream, string> = { stdout: '', stderr: '' };
  private readonly decoders: Record<Stream, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };
  private readonly progressAt: Record<Stream, number> = { stdout: 0, stderr: 0 };
  /** With secrets to mask, the log is written a whole line at a time: this is the line so far. */
  private readonly logPartial: Record<Stream, string> = { stdout: '', stderr: '' };
  readonly tail: string[] = [];

  /** The header still to write before the first output (a task without retries). */
  private pendingHeader: AttemptHeader | undefined;
  /** The log could not be written (a full disk, a file where its folder goes): lines still show. */
  private failed = false;

  /**
   * With `header`, the attempt's section opens with it: written at once when the task may retry
   * (a silent attempt still has its empty section between the others), else with the first
   * output, so a task that prints nothing and cannot retry makes no file at all (creating 10,000
   * empty files was a tenth of a large run's time; readers take "no file" as "printed nothing").
   */
  constructor(
    private readonly logFile: string,
    private readonly onLine: (line: string, stream: Stream) => void,
    private readonly now: () => number = Date.now,
    header?: AttemptHeader,
    private readonly onLogError?: (e: NodeJS.ErrnoException) => void,
    /**
     * Values never to repeat (the runner's secrets a task may print): shown and logged as `***`.
     * Without any, the log gets the task's bytes as they come.
     */
    private readonly secrets: string[] = [],
  ) {
    if (header && header.of > 1) this.toLog(() => this.writeHeader(header));
    else this.pendingHeader = header;
  }

  /** A log write that fails stops the log, never the run: the live lines go on. */
  private toLog(write: () => void): void {
    if (this.failed) return;
    try {
      write();
    } catch (e) {
      this.failed = true;
      if (this.fd >= 0) fs.close(this.fd, () => {});
      this.fd = -1;
      this.onLogError?.(e as NodeJS.ErrnoException);
    }
  }

  private open(): number {
    if (this.fd < 0) {
      fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
      this.fd = fs.openSync(this.logFile, 'a+');
      const h = this.pendingHeader;
      this.pendingHeader = undefined;
      if (h) this.writeHeader(h);
    }
    return this.fd;
  }

  /** The header on a line of its own, also after an earlier attempt whose last line did not end. */
  private writeHeader(h: AttemptHeader): void {
    const fd = this.open();
    const size = fs.fstatSync(fd).size;
    const last = Buffer.alloc(1);
    const open = size > 0 && fs.readSync(fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a;
    fs.writeSync(fd, `${open ? '\n' : ''}${attemptHeader(h)}\n`);
  }

  write(stream: Stream, chunk: Buffer): void {
    const decoded = this.decoders[stream].write(chunk);
    if (this.secrets.length === 0) this.toLog(() => fs.writeSync(this.open(), chunk));
    else this.logMasked(stream, decoded, false);
    const text = this.partial[stream] + decoded;
    const lines = text.split('\n');
    let rest = lines.pop() ?? '';
    // A finished line shows what it looks like on a terminal: its last carriage-return segment.
    for (const line of lines) this.line(lastSegment(line.replace(/\r$/, '')), stream);
    const cr = rest.lastIndexOf('\r');
    if (cr >= 0) {
      const shown = lastSegment(rest.slice(0, cr));
      rest = rest.slice(cr + 1);
      if (shown !== '' && this.now() - this.progressAt[stream] >= PROGRESS_MS) {
        this.progressAt[stream] = this.now();
        this.line(shown, stream);
      }
    }
    while (rest.length > MAX_LINE) {
      this.line(rest.slice(0, MAX_LINE), stream);
      rest = rest.slice(MAX_LINE);
    }
    this.partial[stream] = rest;
  }

  /**
   * Whole lines to the log with the secrets masked (a secret cut by a chunk's end is still
   * found); the rest waits for its line's end, or for the end, or past MAX_LINE is written.
   */
  private logMasked(stream: Stream, decoded: string, last: boolean): void {
    const text = this.logPartial[stream] + decoded;
    const cut = last || text.length > MAX_LINE ? text.length : text.lastIndexOf('\n') + 1;
    this.logPartial[stream] = text.slice(cut);
    if (cut > 0)
      this.toLog(() => fs.writeSync(this.open(), maskSecrets(text.slice(0, cut), this.secrets)));
  }

  /** Flushes unterminated last lines and closes the log file. */
  end(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      const tail = this.decoders[stream].end();
      if (this.secrets.length > 0) this.logMasked(stream, tail, true);
      const last = this.partial[stream] + tail;
      if (last !== '') this.line(last, stream);
      this.partial[stream] = '';
    }
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }

  private line(raw: string, stream: Stream): void {
    const line = this.secrets.length > 0 ? maskSecrets(raw, this.secrets) : raw;
    this.tail.push(line);
    if (this.tail.length > TAIL) this.tail.shift();
    this.onLine(line, stream);
  }
}

/** What a terminal would show of text redrawn with carriage returns: the last non-empty segment. */
function lastSegment(text: string): string {
  if (!text.includes('\r')) return text;
  const segments = text.split('\r');
  for (let i = segments.length - 1; i >= 0; i--) if (segments[i] !== '') return segments[i]!;
  return '';
}
