/**
 * A pipeline's partitions resolved from its `partitions:` section: the keys in a range, the
 * `[start, end)` of a key in its zone, the latest finished partition at an instant, key checks.
 */
import type { PartitionGrain, PartitionsSpec } from '../model';
import {
  compareSlots,
  formatKey,
  KEY_SHAPES,
  parseBound,
  parseKey,
  type Slot,
  slotOf,
  stepSlot,
} from './keys';
import { closest } from '../text/similar';
import {
  canonicalZone,
  hourExists,
  instantOf,
  isoInZone,
  knownZones,
  locate,
  machineZone,
  wallOf,
} from './zone';

export interface TimePartitions {
  kind: 'time';
  grain: PartitionGrain;
  /** Canonical IANA zone. */
  zone: string;
  start: Slot;
  /** Absent: partitions end with the last finished period. */
  end?: Slot;
}

export interface ValuePartitions {
  kind: 'values';
  values: string[];
}

export type Partitions = TimePartitions | ValuePartitions;

/** What fills `${partition}`, `${partition.start}`, `${partition.end}` (the last two for time partitions). */
export type PartitionValues = Readonly<Record<string, string>>;

/** Values of `values:` partitions are used in file names: no separators, spaces or leading dots. */
export const VALUE_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.=+-]*$/;

export interface SpecProblem {
  /** Which part of the section is wrong ('values' with `index` for one item). */
  field: 'start' | 'end' | 'timezone' | 'values';
  index?: number;
  message: string;
}

/** Everything wrong with a section (after its shape was read), each on the part that causes it. */
export function specProblems(spec: PartitionsSpec): SpecProblem[] {
  const out: SpecProblem[] = [];
  if (spec.kind === 'values') {
    if (spec.values.length === 0)
      out.push({ field: 'values', message: 'partitions.values must list at least one value' });
    const seen = new Set<string>();
    spec.values.forEach((v, index) => {
      if (!VALUE_KEY.test(v))
        out.push({
          field: 'values',
          index,
          message: `partition value '${v}' may hold only letters, digits and _ . = + - (it is used in file names)`,
        });
      else if (seen.has(v))
        out.push({ field: 'values', index, message: `partition value '${v}' is listed twice` });
      seen.add(v);
    });
    return out;
  }
  const where = `partitions.${spec.grain}`;
  const start = parseBound(spec.grain, spec.start);
  if (typeof start === 'string') out.push({ field: 'start', message: `${where}.start: ${start}` });
  if (spec.end !== undefined) {
    const end = parseBound(spec.grain, spec.end);
    if (typeof end === 'string') out.push({ field: 'end', message: `${where}.end: ${end}` });
    else if (typeof start !== 'string' && compareSlots(end, start) < 0)
      out.push({
        field: 'end',
        message: `${where}.end: ${spec.end} is before the start ${spec.start}`,
      });
  }
  if (spec.timezone !== undefined && canonicalZone(spec.timezone) === undefined) {
    const [near] = closest(spec.timezone, knownZones(), 1);
    out.push({
      field: 'timezone',
      message: `${where}.timezone: unknown time zone '${spec.timezone}' (${near ? `did you mean '${near}'?` : 'use an IANA name such as UTC or Europe/Paris'})`,
    });
  }
  return out;
}

/** The partitions of a valid section, or the first problem; the zone defaults to the machine's. */
export function resolvePartitions(
  spec: PartitionsSpec,
  defaultZone: string = machineZone(),
): Partitions | string {
  const problem = specProblems(spec)[0];
  if (problem) return problem.message;
  if (spec.kind === 'values') return { kind: 'values', values: [...spec.values] };
  const zone = canonicalZone(spec.timezone ?? defaultZone) ?? 'UTC';
  const start = parseBound(spec.grain, spec.start) as Slot;
  const end = spec.end === undefined ? undefined : (parseBound(spec.grain, spec.end) as Slot);
  return { kind: 'time', grain: spec.grain, zone, start, ...(end ? { end } : {}) };
}

/** Whether the slot's first wall hour exists in the zone (an hour skipped by a DST jump does not). */
function exists(p: TimePartitions, s: Slot): boolean {
  return p.grain !== 'hourly' || hourExists(p.zone, s);
}

/** The key of the period that holds instant `t` (ms since the epoch). */
export function keyAt(p: TimePartitions, t: number): string {
  return formatKey(p.grain, slotOf(p.grain, wallOf(p.zone, t)));
}

/** `[start, end)` of a time key as instants (ms), DST-correct; a reason when it is no key. */
export function periodMs(p: TimePartitions, key: string): { start: number; end: number } | string {
  const s = parseKey(p.grain, key);
  if (typeof s === 'string') return s;
  if (!exists(p, s)) return `'${key}' does not exist in ${p.zone} (the clocks skip that hour)`;
  // A skipped next hour maps to the jump, which is where the next existing hour starts.
  return { start: instantOf(p.zone, s), end: instantOf(p.zone, stepSlot(p.grain, s, 1)) };
}

/** `[start, end)` of a time key in ISO 8601 with the zone's offsets. */
export function period(p: TimePartitions, key: string): { start: string; end: string } | string {
  const s = parseKey(p.grain, key);
  if (typeof s === 'string') return s;
  if (!exists(p, s)) return `'${key}' does not exist in ${p.zone} (the clocks skip that hour)`;
  const a = locate(p.zone, s);
  const b = locate(p.zone, stepSlot(p.grain, s, 1));
  return { start: isoInZone(p.zone, a.t, a.offset), end: isoInZone(p.zone, b.t, b.offset) };
}

/**
 * The latest partition that has finished at instant `now`, or undefined before the first one
 * has: a schedule fire at 00:00 on 2024-02-02 gives the daily `2024-02-01`. Capped at `end`.
 * `values:` partitions never finish: undefined.
 */
export function latestFinished(p: Partitions, now: number): string | undefined {
  if (p.kind === 'values') return undefined;
  let s = stepSlot(p.grain, slotOf(p.grain, wallOf(p.zone, now)), -1);
  while (!exists(p, s)) s = stepSlot(p.grain, s, -1);
  if (p.end && compareSlots(s, p.end) > 0) s = p.end;
  return compareSlots(s, p.start) < 0 ? undefined : formatKey(p.grain, s);
}

/** The last partition at `now`: the latest finished one (capped at `end`): a period still to come has no data yet. */
function lastSlot(p: TimePartitions, now: number): Slot | undefined {
  const last = latestFinished(p, now);
  return last === undefined ? undefined : (parseKey(p.grain, last) as Slot);
}

/** Keys from `from` to `to`, both included, oldest first (slots must be period starts). */
function keysOfSlots(p: TimePartitions, from: Slot, to: Slot): string[] {
  const out: string[] = [];
  for (let s = from; compareSlots(s, to) <= 0; s = stepSlot(p.grain, s, 1))
    if (exists(p, s)) out.push(formatKey(p.grain, s));
  return out;
}

/** Every partition of the pipeline at `now`, oldest first. */
export function allKeys(p: Partitions, now: number): string[] {
  if (p.kind === 'values') return [...p.values];
  const last = lastSlot(p, now);
  return last === undefined ? [] : keysOfSlots(p, p.start, last);
}

/** Undefined when `key` is a partition of the pipeline at `now`; else one line saying why not. */
export function checkKey(p: Partitions, key: string, now: number): string | undefined {
  if (p.kind === 'values') {
    if (p.values.includes(key)) return undefined;
    return `'${key}' is not one of the partitions: ${p.values.join(', ')}`;
  }
  const s = parseKey(p.grain, key);
  if (typeof s === 'string') return s;
  if (!exists(p, s)) return `'${key}' does not exist in ${p.zone} (the clocks skip that hour)`;
  const first = formatKey(p.grain, p.start);
  if (compareSlots(s, p.start) < 0) return `partition '${key}' is before the start ${first}`;
  if (p.end && compareSlots(s, p.end) > 0)
    return `partition '${key}' is after the end ${formatKey(p.grain, p.end)}`;
  const last = latestFinished(p, now);
  if (last === undefined || key > last)
    return `partition '${key}' has not finished yet (${last === undefined ? 'none has' : `the latest finished is ${last}`})`;
  return undefined;
}

/** The partitions from `from` to `to`, both included, oldest first; or one line saying what is wrong. */
export function keysBetween(
  p: Partitions,
  from: string,
  to: string,
  now: number,
): string[] | string {
  const bad = checkKey(p, from, now) ?? checkKey(p, to, now);
  if (bad) return bad;
  if (p.kind === 'values') {
    const a = p.values.indexOf(from);
    const b = p.values.indexOf(to);
    return b < a ? `--to ${to} comes before --from ${from}` : p.values.slice(a, b + 1);
  }
  if (to < from) return `--to ${to} is before --from ${from}`;
  return keysOfSlots(p, parseKey(p.grain, from) as Slot, parseKey(p.grain, to) as Slot);
}

/** The interpolation values of one partition (`partition`, `partition.start`, `partition.end`). */
export function partitionValues(p: Partitions, key: string): PartitionValues {
  if (p.kind === 'values') return { partition: key };
  const ms = period(p, key);
  if (typeof ms === 'string') return { partition: key };
  return { partition: key, 'partition.start': ms.start, 'partition.end': ms.end };
}

/** An example key of the grain, for messages and completion. */
export function exampleKey(grain: PartitionGrain): string {
  return KEY_SHAPES[grain].example;
}

export interface KeySelection {
  /** `--partition KEY`, repeatable. */
  partitions?: readonly string[];
  from?: string;
  to?: string;
}

/**
 * The partitions a command names, oldest first without repeats, or one line saying what is wrong.
 * `--from` alone runs to the last partition, `--to` alone from the first; nothing named means the
 * latest finished partition (what a schedule fire runs), or every value of `values:` partitions.
 */
export function selectKeys(p: Partitions, sel: KeySelection, now: number): string[] | string {
  const named = sel.partitions ?? [];
  if (named.length > 0 && (sel.from !== undefined || sel.to !== undefined))
    return 'use --partition or --from/--to, not both';
  if (named.length > 0) {
    for (const key of named) {
      const bad = checkKey(p, key, now);
      if (bad) return `--partition: ${bad}`;
    }
    const all = allKeys(p, now);
    const wanted = new Set(named);
    return all.filter((k) => wanted.has(k));
  }
  if (sel.from !== undefined || sel.to !== undefined) {
    const all = allKeys(p, now);
    if (all.length === 0) return 'no partition has finished yet';
    for (const [flag, key] of [
      ['--from', sel.from],
      ['--to', sel.to],
    ] as const) {
      const bad = key === undefined ? undefined : checkKey(p, key, now);
      if (bad) return `${flag}: ${bad}`;
    }
    return keysBetween(p, sel.from ?? all[0]!, sel.to ?? all[all.length - 1]!, now);
  }
  if (p.kind === 'values') return [...p.values];
  const latest = latestFinished(p, now);
  return latest === undefined ? 'no partition has finished yet' : [latest];
}
