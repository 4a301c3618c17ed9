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

function withRange(t: Target): Target {
  return { ...t, range: ZERO };
}

export function fromSnapshot(s: ParseSnapshot): ParseResult | undefined {
  if (s?.version !== SNAPSHOT_VERSION || !Array.isArray(s.pipeline?.tasks)) return undefined;
  const p = s.pipeline;
  const tasks = p.tasks.map((t) => ({
    ...t,
    keyRange: ZERO,
    range: ZERO,
    fields: {},
    needs: t.needs.map((n) => ({ value: n.value, range: ZERO })),
    inputs: t.inputs.map(withRange),
    outputs: t.outputs.map(withRange),
  }));
  const pipeline: Pipeline = {
    ...p,
    tasks,
    sources: p.sources.map(withRange),
    schedule: p.schedule.map((x) => ({ value: x.value, range: ZERO })),
    triggers: p.triggers.map((x) => ({ ...x, range: ZERO })),
    fields: {},
    paramRanges: {},
    taskIndex: new Map(tasks.map((t) => [t.name, t])),
  };
  return { pipeline, findings: s.findings, syntaxOk: s.syntaxOk };
}
