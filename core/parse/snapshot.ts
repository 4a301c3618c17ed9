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

const RANGE_KEYS = new Set(['range', 'keyRange', 'fields', 'paramRanges']);

/** JSON text of the snapshot, ranges left out. */
export function snapshotJson(r: ParseResult, extra: Record<string, unknown> = {}): string {
  const { taskIndex: _taskIndex, ...pipeline } = r.pipeline;
  const body = JSON.stringify(pipeline, (k, v: unknown) => (RANGE_KEYS.has(k) ? undefined : v));
  const rest = JSON.stringify({
    ...extra,
    version: SNAPSHOT_VERSION,
    findings: r.findings,
    syntaxOk: r.syntaxOk,
  });
  return `${rest.slice(0, -1)},"pipeline":${body}}`;
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
