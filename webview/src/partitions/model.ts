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
const WORDS: Record<string, string> = { pending: 'never run', upstream_failed: 'upstream failed' };

export interface PartitionView {
  /** Oldest first. */
  keys: string[];
  index: Map<string, number>;
  /** Per partitioned task: a state code per key index. */
  codes: Map<string, Uint8Array>;
  /** Per task: bumped whenever one of its codes changes (what a node's memo compares). */
  version: Map<string, number>;
  /** The partition whose states the nodes show; null = the latest. */
  picked: string | null;
}

export function fromStrips(s: PartitionStrips, old: PartitionView | null): PartitionView {
  const index = new Map(s.keys.map((k, i) => [k, i]));
  const codes = new Map<string, Uint8Array>();
  const version = new Map<string, number>();
  for (const [task, text] of Object.entries(s.tasks)) {
    const a = new Uint8Array(s.keys.length);
    const n = Math.min(a.length, text.length);
    for (let i = 0; i < n; i++) a[i] = FROM_CHAR[text.charCodeAt(i) & 127] ?? 0;
    codes.set(task, a);
    version.set(task, (old?.version.get(task) ?? 0) + 1);
  }
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
    for (const [t, old] of v.codes) {
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
  const a = v?.codes.get(task);
  const key = v ? shownKey(v) : undefined;
  if (!v || !a || key === undefined) return undefined;
  const status = CODES[a[v.index.get(key)!] ?? 0] ?? 'pending';
  return { status, reason: `partition ${key}: ${WORDS[status] ?? status.replace('_', ' ')}` };
}

export function stateWords(code: number): string {
  const s = CODES[code] ?? 'pending';
  return WORDS[s] ?? s.replace('_', ' ');
}
