/** Partition states in the webview: the host's strips, updated in place by run events (live while a backfill runs). */
import type { PartitionStrips } from '../../../core/protocol/webview';
import type { RunEvent } from '../../../core/run/events';
import type { NodeStatus, ViewStatus } from '../nodeStatus';

/** One byte per partition: these codes, drawn in these states' colours. */
export const CODES = [
  'pending', // 0: never run
  'complete',
  'stale',
  'failed',
  'queued',
  'running',
  'upstream_failed',
  'cancelled',
  'success',
] as const satisfies readonly ViewStatus[];
/** Char code → state code (a table: a million characters decode in a few milliseconds). */
const FROM_CHAR = new Uint8Array(128);
FROM_CHAR['c'.charCodeAt(0)] = 1;
FROM_CHAR['s'.charCodeAt(0)] = 2;
FROM_CHAR['f'.charCodeAt(0)] = 3;
/** The code of a failed partition. */
const FAILED = CODES.indexOf('failed');
const WORDS: Record<string, string> = { pending: 'never run', upstream_failed: 'upstream failed' };

/**
 * Each partitioned task's state codes, decoded from the host's text on first use: a message of
 * 1,000 tasks × 1,000 partitions decodes only the strips drawn, and a node's status reads one
 * character.
 */
export class Codes {
  private readonly decoded = new Map<string, Uint8Array>();
  constructor(
    private readonly raw: Map<string, string>,
    private readonly length: number,
  ) {}
  has(task: string): boolean {
    return this.decoded.has(task) || this.raw.has(task);
  }
  tasks(): string[] {
    return [...new Set([...this.raw.keys(), ...this.decoded.keys()])];
  }
  /** The task's codes (decoded now if need be); changes to the array are the task's changes. */
  get(task: string): Uint8Array | undefined {
    const hit = this.decoded.get(task);
    if (hit) return hit;
    const text = this.raw.get(task);
    if (text === undefined) return undefined;
    const a = new Uint8Array(this.length);
    const n = Math.min(a.length, text.length);
    for (let i = 0; i < n; i++) a[i] = FROM_CHAR[text.charCodeAt(i) & 127] ?? 0;
    this.decoded.set(task, a);
    this.raw.delete(task);
    return a;
  }
  set(task: string, a: Uint8Array): void {
    this.raw.delete(task);
    this.decoded.set(task, a);
  }
  /** How many partitions have `code` (the raw text is counted as is, without decoding it). */
  count(task: string, code: number): number {
    const hit = this.decoded.get(task);
    let n = 0;
    if (hit) {
      for (let i = 0; i < hit.length; i++) if (hit[i] === code) n++;
      return n;
    }
    const text = this.raw.get(task) ?? '';
    const ch = FROM_CHAR.indexOf(code);
    if (ch <= 0) return 0;
    for (let i = 0; i < text.length && i < this.length; i++) if (text.charCodeAt(i) === ch) n++;
    return n;
  }
  /** One partition's code without decoding the rest. */
  at(task: string, i: number): number {
    const hit = this.decoded.get(task);
    if (hit) return hit[i] ?? 0;
    const text = this.raw.get(task);
    return text === undefined || i >= text.length ? 0 : (FROM_CHAR[text.charCodeAt(i) & 127] ?? 0);
  }
}

export interface PartitionView {
  /** Oldest first. */
  keys: string[];
  index: Map<string, number>;
  /** Per partitioned task: a state code per key index. */
  codes: Codes;
  /** Per task: bumped whenever one of its codes changes (what a node's memo compares). */
  version: Map<string, number>;
  /** The partition whose states the nodes show; null = the latest. */
  picked: string | null;
}

export function fromStrips(s: PartitionStrips, old: PartitionView | null): PartitionView {
  const index = new Map(s.keys.map((k, i) => [k, i]));
  const version = new Map<string, number>();
  for (const task of Object.keys(s.tasks)) version.set(task, (old?.version.get(task) ?? 0) + 1);
  const codes = new Codes(new Map(Object.entries(s.tasks)), s.keys.length);
  const picked = old?.picked && index.has(old.picked) ? old.picked : null;
  return { keys: s.keys, index, codes, version, picked };
}

const EVENT_CODE: Partial<Record<RunEvent['event'], number>> = {
  task_queued: 4,
  task_started: 5,
  task_retry: 5,
};

/** A task event of a partitioned task: its partition's code, in place. True when something changed. */
export function applyEvent(v: PartitionView, e: RunEvent): boolean {
  if (!('partition' in e) || e.partition === undefined) return false;
  const a = v.codes.get(e.task);
  if (!a) return false;
  let i = v.index.get(e.partition);
  if (i === undefined) {
    // A partition newer than the strips (its period just ended): appended, the strips grow.
    v.keys = [...v.keys, e.partition].sort();
    v.index = new Map(v.keys.map((k, j) => [k, j]));
    for (const t of v.codes.tasks()) {
      const old = v.codes.get(t)!;
      const grown = new Uint8Array(v.keys.length);
      let j = 0;
      for (const k of v.keys) grown[v.index.get(k)!] = k === e.partition ? 0 : (old[j++] ?? 0);
      v.codes.set(t, grown);
      v.version.set(t, (v.version.get(t) ?? 0) + 1);
    }
    i = v.index.get(e.partition)!;
  }
  const code =
    e.event === 'task_finished'
      ? e.status === 'success'
        ? 8
        : e.status === 'cancelled'
          ? 7
          : 3
      : e.event === 'task_skipped'
        ? e.status === 'complete'
          ? 1
          : 6
        : EVENT_CODE[e.event];
  const arr = v.codes.get(e.task)!;
  if (code === undefined || arr[i] === code) return false;
  arr[i] = code;
  v.version.set(e.task, (v.version.get(e.task) ?? 0) + 1);
  return true;
}

/** The partition the nodes show: the picked one, else the latest. */
export function shownKey(v: PartitionView): string | undefined {
  return v.picked ?? v.keys[v.keys.length - 1];
}

/** A partitioned task's look for the shown partition; undefined for other tasks. */
export function partitionNodeStatus(v: PartitionView | null, task: string): NodeStatus | undefined {
  const key = v ? shownKey(v) : undefined;
  if (!v || key === undefined || !v.codes.has(task)) return undefined;
  const status = CODES[v.codes.at(task, v.index.get(key)!)] ?? 'pending';
  // The node shows one partition; failures elsewhere must not hide behind a green node.
  const failed = v.codes.count(task, FAILED);
  return {
    status,
    reason: `partition ${key}: ${WORDS[status] ?? status.replace('_', ' ')}`,
    ...(failed > 0 ? { failedPartitions: failed } : {}),
  };
}

export function stateWords(code: number): string {
  const s = CODES[code] ?? 'pending';
  return WORDS[s] ?? s.replace('_', ' ');
}
