/**
 * `.tributary/state.json`: what each task's last attempt was and, after a success, its fingerprint.
 * It is a cache of the run records: on load, events newer than its watermark are replayed,
 * so a crash between two saves loses nothing and a deleted state.json is rebuilt.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Fingerprint, parseEventLine, type RunEvent } from '../../core/run/events';
import { instanceKey } from '../../core/run/state';
import { writeFileAtomicChunks } from '../records/atomic';
import { listRuns } from '../records/eventLog';
import type { StatePaths } from '../records/paths';

export interface TaskMemo {
  /** The last attempt: `running` means it started and never finished (a crash). */
  status: 'success' | 'failed' | 'running';
  run: string;
  attempt: number;
  finished?: string;
  durationMs?: number;
  /** From the last success. */
  fingerprint?: Fingerprint;
  /** Identifies the last success, so that downstream tasks notice it ran again. */
  successStamp?: string;
}

interface Section {
  tasks: Record<string, TaskMemo>;
  /**
   * Events of run `run` applied so far (runs before it are fully applied) and, when known, the
   * record's size in bytes with them: a record still that size has nothing new (not read again).
   */
  applied?: { run: string; events: number; bytes?: number };
}

interface StateFile {
  version: 1;
  pipelines: Record<string, Section>;
}

export class StateStore {
  private file: StateFile = { version: 1, pipelines: {} };
  private section: Section = { tasks: {} };
  private dirty = false;

  constructor(private readonly paths: StatePaths) {}

  /** Reads state.json and replays the run records it has not seen. */
  load(): this {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.paths.state, 'utf8')) as StateFile;
      if (parsed?.version === 1 && typeof parsed.pipelines === 'object') this.file = parsed;
    } catch {
      // Missing or corrupt: rebuilt from the records below.
    }
    this.section = this.file.pipelines[this.paths.key] ??= { tasks: {} };
    const from = this.section.applied;
    let replayed = 0;
    // The last record of skips only applied: its lines are counted once, at the end (a no-op
    // run's 10,000 lines, in each of the up to 10 records read before state.json is saved again).
    let skipsOnly: { run: string; buf: Buffer } | undefined;
    for (const run of listRuns(this.paths.runs)) {
      if (from && run < from.run) continue;
      const file = path.join(this.paths.runs, `${run}.jsonl`);
      const skip = from && run === from.run ? from.events : 0;
      // The last record applied, unchanged since (the full run before a no-op re-run: 6 MB).
      if (skip > 0 && from?.bytes !== undefined && sizeOf(file) === from.bytes) continue;
      // A record of skips only (a no-op run: 10,000 lines) is counted in its bytes, not
      // decoded, split and filtered.
      const buf = readBytes(file);
      if (buf.indexOf(STARTED) < 0 && buf.indexOf(FINISHED) < 0) {
        if (skip > 0 && countLines(buf) <= skip) continue;
        const nl = buf.indexOf(10);
        const first = parseEventLine(buf.toString('utf8', 0, nl < 0 ? buf.length : nl));
        if (!first || first.event !== 'run_started' || !sameFile(first.file, this.paths.key))
          continue;
        skipsOnly = { run, buf };
        replayed++;
        continue;
      }
      const text = buf.toString('utf8');
      const lines = splitLines(text);
      if (lines.length <= skip) continue;
      const first = parseEventLine(lines[0] ?? '');
      if (!first || first.event !== 'run_started' || !sameFile(first.file, this.paths.key))
        continue;
      // Runs that only skipped tasks change nothing here: no need to parse their lines.
      const relevant = lines.slice(skip).filter((l) => l.includes(STARTED) || l.includes(FINISHED));
      for (const line of relevant) {
        const e = parseEventLine(line);
        if (e) this.apply(e);
      }
      this.section.applied = { run, events: lines.length, bytes: Buffer.byteLength(text) };
      skipsOnly = undefined;
      if (relevant.length > 0) this.dirty = true;
      replayed++;
    }
    if (skipsOnly) {
      const { run, buf } = skipsOnly;
      this.section.applied = { run, events: countLines(buf), bytes: buf.length };
    }
    if (replayed >= 10) this.dirty = true;
    return this;
  }

  get tasks(): Readonly<Record<string, TaskMemo>> {
    return this.section.tasks;
  }

  /**
   * Strings repeated across memos kept once: for runs that keep the memos while thousands of
   * tasks run (a no-op run does not need it, and it costs ~30 ms at 10,000 tasks).
   */
  compact(): void {
    internMemos(this.section.tasks);
  }

  /**
   * Applies one event of the current run and moves the watermark; `bytes`: the length of its
   * line in the run's record (all or none of a run's events give it).
   */
  record(e: RunEvent, bytes?: number): void {
    this.apply(e);
    const a = this.section.applied;
    if (a && a.run === e.run) {
      a.events++;
      a.bytes = a.bytes !== undefined && bytes !== undefined ? a.bytes + bytes : undefined;
      if (a.bytes === undefined) delete a.bytes;
    } else
      this.section.applied = {
        run: e.run,
        events: 1,
        ...(bytes !== undefined ? { bytes } : {}),
      };
    // Skips change no task's memory: a run of 11,000 skips does not rewrite state.json (the
    // next load replays its record cheaply, reading only started/finished lines).
    if (e.event === 'task_started' || e.event === 'task_finished') this.dirty = true;
  }

  save(): void {
    if (!this.dirty) return;
    writeFileAtomicChunks(this.paths.state, (write) => writeJson(this.file, write, 0));
    this.dirty = false;
  }

  private apply(e: RunEvent): void {
    const tasks = this.section.tasks;
    if (e.event !== 'task_started' && e.event !== 'task_finished') return;
    const key = instanceKey(e.task, e.partition);
    if (e.event === 'task_started') {
      const prev = tasks[key];
      tasks[key] = { ...prev, status: 'running', run: e.run, attempt: e.attempt };
    } else if (e.event === 'task_finished') {
      const prev = tasks[key];
      if (e.status === 'success') {
        tasks[key] = {
          status: 'success',
          run: e.run,
          attempt: e.attempt,
          finished: e.ts,
          durationMs: e.duration_ms,
          ...(e.fingerprint ? { fingerprint: e.fingerprint } : {}),
          successStamp: `${e.run}@${e.ts}`,
        };
      } else {
        tasks[key] = {
          ...prev,
          status: 'failed',
          run: e.run,
          attempt: e.attempt,
          finished: e.ts,
          durationMs: e.duration_ms,
        };
      }
    }
  }
}

/**
 * `JSON.stringify(value)`, given piece by piece: the objects of the first `depth` + 3 levels
 * (the file, its pipelines, a pipeline's section, its tasks) key by key, anything deeper (one
 * task's memo) whole. The text is the same as `JSON.stringify`'s, without a 4 MB string made
 * every second of a long run, which stayed in memory until V8's next full collection.
 */
function writeJson(value: unknown, write: (s: string) => void, depth: number): void {
  if (depth > 3 || value === null || typeof value !== 'object' || Array.isArray(value)) {
    write(JSON.stringify(value) ?? 'null');
    return;
  }
  let first = true;
  write('{');
  for (const [k, v] of Object.entries(value)) {
    // What JSON.stringify leaves out of an object.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    write(first ? `${JSON.stringify(k)}:` : `,${JSON.stringify(k)}:`);
    first = false;
    writeJson(v, write, depth + 1);
  }
  write('}');
}

function sameFile(recorded: string, key: string): boolean {
  return recorded === key || recorded.endsWith('/' + key);
}

/**
 * JSON.parse makes a new string for every value: 10,000 memos repeat the same run ids, stamps
 * (each task's `successStamp` again in its downstream's `upstream`) and hashes. One copy of each
 * takes the memos of 10,000 tasks from ~2.9 KB to ~1 KB a task (bench/runnerHeap.mjs).
 */
function internMemos(tasks: Record<string, TaskMemo>): void {
  const seen = new Map<string, string>();
  const one = (s: string): string => {
    const had = seen.get(s);
    if (had !== undefined) return had;
    seen.set(s, s);
    return s;
  };
  for (const m of Object.values(tasks)) {
    if (typeof m.run === 'string') m.run = one(m.run);
    if (typeof m.finished === 'string') m.finished = one(m.finished);
    if (typeof m.successStamp === 'string') m.successStamp = one(m.successStamp);
    const f = m.fingerprint;
    if (!f || typeof f !== 'object') continue;
    if (typeof f.command === 'string') f.command = one(f.command);
    if (typeof f.env === 'string') f.env = one(f.env);
    for (const group of [f.upstream, f.inputs, f.params])
      if (group && typeof group === 'object')
        for (const k of Object.keys(group)) {
          const v = group[k];
          if (typeof v === 'string') group[k] = one(v);
        }
  }
}

const STARTED = '"event":"task_started"';
const FINISHED = '"event":"task_finished"';

function sizeOf(file: string): number | undefined {
  return fs.statSync(file, { throwIfNoEntry: false })?.size;
}

function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    return Buffer.alloc(0);
  }
}

/** Non-empty lines of a run record (a torn last line included: the parser skips it). */
function splitLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** How many lines `splitLines` would return for the record's text, without decoding it. */
function countLines(buf: Buffer): number {
  let n = 0;
  for (let at = 0; at < buf.length;) {
    let end = buf.indexOf(10, at);
    if (end < 0) end = buf.length;
    // Records start every line with `{`; anything else is checked the slow way.
    if (end > at && (buf[at] === 123 || buf.toString('utf8', at, end).trim() !== '')) n++;
    at = end + 1;
  }
  return n;
}
