/** Reads the `partitions:` section into the model; a bad section is `invalid-partitions` on the exact node. */
import { isMap, isScalar, isSeq, type Pair } from 'yaml';
import type { PartitionGrain, PartitionsSpec, Span } from '../model';
import { type AnyNode, keyName, type Reader, spanOf } from '../parse/nodes';
import { PARTITION_PERIOD_KEYS, PARTITIONS_KEYS } from '../schema/spec';
import { specProblems } from './partitions';

const SHAPE =
  'partitions must be one of hourly, daily, weekly, monthly (with start:) or values: [...]';

/** The section as written, or undefined when nothing usable is there (after reporting why). */
export function readPartitions(r: Reader, node: AnyNode): PartitionsSpec | undefined {
  const bad = (n: AnyNode, message: string): undefined => {
    r.report('invalid-partitions', 'error', message, spanOf(n));
    return undefined;
  };
  const map = r.deref(node);
  if (!isMap(map)) return bad(node, SHAPE);
  const pairs = r.entries(map, PARTITIONS_KEYS, 'partitions').filter((p) => {
    const k = keyName(p);
    return k !== undefined && Object.hasOwn(PARTITIONS_KEYS, k);
  });
  if (pairs.length === 0) return bad(node, SHAPE);
  for (const extra of pairs.slice(1))
    bad(
      extra.key as AnyNode,
      `partitions: only one kind at a time ('${keyName(pairs[0]!)}' is already given)`,
    );
  const pair = pairs[0]!;
  const kind = keyName(pair)!;
  const spec =
    kind === 'values' ? readValues(r, pair) : readPeriod(r, pair, kind as PartitionGrain);
  if (!spec) return undefined;
  for (const problem of specProblems(spec.spec)) {
    const range =
      problem.field === 'values'
        ? (spec.ranges.values[problem.index ?? -1] ?? spec.ranges.whole)
        : (spec.ranges[problem.field] ?? spec.ranges.whole);
    r.report('invalid-partitions', 'error', problem.message, range);
  }
  return spec.spec;
}

interface Read {
  spec: PartitionsSpec;
  ranges: { whole: Span; values: Span[]; start?: Span; end?: Span; timezone?: Span };
}

function readValues(r: Reader, pair: Pair): Read | undefined {
  const node = pair.value as AnyNode;
  const seq = r.deref(node);
  if (!isSeq(seq)) {
    r.report(
      'invalid-partitions',
      'error',
      'partitions.values must be a list, e.g. [eu, us, apac]',
      spanOf(node, spanOf(pair.key as AnyNode)),
    );
    return undefined;
  }
  const items = r.stringList(seq, 'partitions.values');
  return {
    spec: { kind: 'values', values: items.map((i) => i.value) },
    ranges: { whole: spanOf(node), values: items.map((i) => i.range) },
  };
}

function readPeriod(r: Reader, pair: Pair, grain: PartitionGrain): Read | undefined {
  const node = pair.value as AnyNode;
  const where = `partitions.${grain}`;
  const whole = spanOf(node, spanOf(pair.key as AnyNode));
  const body = r.deref(node);
  if (!isMap(body)) {
    const empty = body == null || (isScalar(body) && body.value === null);
    r.report(
      'invalid-partitions',
      'error',
      empty
        ? `${where} needs start:, e.g. start: "2024-01-01"`
        : `${where} must be a mapping with start:`,
      whole,
    );
    return undefined;
  }
  const values: Partial<Record<keyof typeof PARTITION_PERIOD_KEYS, string>> = {};
  const ranges: Read['ranges'] = { whole, values: [] };
  for (const field of r.entries(body, PARTITION_PERIOD_KEYS, where)) {
    const k = keyName(field);
    if (k !== 'start' && k !== 'end' && k !== 'timezone') continue;
    const n = r.deref(field.value as AnyNode);
    const raw = isScalar(n) ? n.value : undefined;
    if (typeof raw !== 'string' && typeof raw !== 'number') {
      r.report(
        'invalid-partitions',
        'error',
        `${where}.${k} must be ${k === 'timezone' ? 'a time zone name' : 'a date or key in quotes, e.g. "2024-01-01"'}`,
        spanOf(field.value as AnyNode, spanOf(field.key as AnyNode)),
      );
      return undefined;
    }
    const v = typeof raw === 'string' ? raw : ((n as { source?: string }).source ?? String(raw));
    values[k] = v.trim();
    ranges[k] = spanOf(field.value as AnyNode);
  }
  if (values.start === undefined) {
    r.report(
      'invalid-partitions',
      'error',
      `${where} needs start:, e.g. start: "2024-01-01"`,
      spanOf(pair.key as AnyNode),
    );
    return undefined;
  }
  return {
    spec: {
      kind: 'time',
      grain,
      start: values.start,
      ...(values.end !== undefined ? { end: values.end } : {}),
      ...(values.timezone !== undefined ? { timezone: values.timezone } : {}),
    },
    ranges,
  };
}
