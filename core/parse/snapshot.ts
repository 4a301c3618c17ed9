/**
 * A ParseResult as compact JSON, so that the runner can cache parsing of unchanged files.
 * Source ranges are dropped (the runner only needs them for findings, which keep theirs).
 */
import type { Pipeline, Span, Target } from '../model';
import type { ParseResult } from './parse';

export const SNAPSHOT_VERSION = 2;

export interface ParseSnapshot {
  version: number;
  pipeline: Omit<Pipeline, 'taskIndex'>;
  findings: ParseResult['findings'];
  syntaxOk: boolean;
}

const RANGE_KEYS = new Set(['range', 'keyRange', 'fields', 'paramRanges', 'poolRanges']);

/** JSON text of the snapshot, ranges left out. */
export function snapshotJson(r: ParseResult, extra: Record<string, unknown> = {}): string {
  const parts: string[] = [];
  writeSnapshot(r, extra, (x) => parts.push(x));
  return parts.join('');
}

/**
 * `snapshotJson`'s text given piece by piece (a task at a time): the snapshot of 10,000 tasks
 * (~3 MB) is never one string, which the runner's first run of a large file used to hold at its
 * peak of memory.
 */
export function writeSnapshot(
  r: ParseResult,
  extra: Record<string, unknown>,
  write: (s: string) => void,
): void {
  const { taskIndex: _taskIndex, ...pipeline } = r.pipeline;
  const rest = JSON.stringify({
    ...extra,
    version: SNAPSHOT_VERSION,
    findings: r.findings,
    syntaxOk: r.syntaxOk,
  });
  write(`${rest.slice(0, -1)},"pipeline":{`);
  let first = true;
  for (const [k, v] of Object.entries(pipeline)) {
    if (RANGE_KEYS.has(k)) continue;
    const text = k === 'tasks' ? undefined : JSON.stringify(v, dropRanges);
    // What JSON.stringify leaves out of an object (an undefined value).
    if (k !== 'tasks' && text === undefined) continue;
    write(`${first ? '' : ','}${JSON.stringify(k)}:`);
    first = false;
    if (text !== undefined) {
      write(text);
      continue;
    }
    write('[');
    (v as unknown[]).forEach((t, i) => write((i > 0 ? ',' : '') + JSON.stringify(t, dropRanges)));
    write(']');
  }
  write('}}');
}

function dropRanges(k: string, v: unknown): unknown {
  return RANGE_KEYS.has(k) ? undefined : v;
}

const ZERO: Span = { start: 0, end: 0 };

/** Gives a restored target its (empty) range in place. */
function withRange(t: Target): Target {
  (t as { range: Span }).range = ZERO;
  return t;
}

/**
 * The snapshot's objects are taken over (ranges set in place, not copied: a no-op re-run of
 * 10,000 tasks restores ~100,000 objects), so `s` must be freshly parsed JSON owned by the caller.
 */
export function fromSnapshot(s: ParseSnapshot): ParseResult | undefined {
  if (s?.version !== SNAPSHOT_VERSION || !Array.isArray(s.pipeline?.tasks)) return undefined;
  const p = s.pipeline;
  const tasks = p.tasks as Pipeline['tasks'];
  const taskIndex: Pipeline['taskIndex'] = new Map();
  for (const t of tasks) {
    t.keyRange = ZERO;
    t.range = ZERO;
    t.fields = {};
    for (const n of t.needs) n.range = ZERO;
    t.inputs.forEach(withRange);
    t.outputs.forEach(withRange);
    taskIndex.set(t.name, t);
  }
  const pipeline: Pipeline = {
    ...p,
    tasks,
    sources: p.sources.map(withRange),
    schedule: p.schedule.map((x) => ({ value: x.value, range: ZERO })),
    triggers: p.triggers.map((x) => ({ ...x, range: ZERO })),
    fields: {},
    paramRanges: {},
    taskIndex,
  };
  return { pipeline, findings: s.findings, syntaxOk: s.syntaxOk };
}
