/**
 * Setting the string items of a list (`needs`, the files of `inputs`/`outputs`) while keeping
 * every object target (`postgres:` mappings, any typed target) whole: kept items are not
 * touched (their inline comments stay), removed ones are deleted, new ones are written where
 * the list's order says.
 */
import type { FieldRange, Span, Target, TextEdit } from '../model';
import type { EditResult } from './sequences';
import {
  deleteLines,
  insert,
  lineEndWithBreak,
  lineStart,
  replace,
  scalarLike,
  trimEnd,
  yamlScalar,
} from './text';

/** The text of an item written as a string (a path or a URL); undefined for an object target. */
export function stringItem(t: Target): string | undefined {
  return t.kind === 'path' ? t.path : t.kind === 'hdfs' ? t.url : undefined;
}

/** How the graph shows an object target in a list of strings (`postgres:public.predictions`). */
export function objectLabel(t: Target): string {
  return t.kind === 'postgres' ? `postgres:${t.table}` : t.kind === 'other' ? `${t.type}:…` : '';
}

/**
 * The wanted string items, minus any label of an object target of the list: a panel that
 * sends `postgres:x` back means "keep that table", never "write the string postgres:x".
 */
export function wantedStrings(targets: readonly Target[], wanted: readonly string[]): string[] {
  const labels = new Set(targets.filter((t) => stringItem(t) === undefined).map(objectLabel));
  return wanted.filter((w) => !labels.has(w));
}

/** An item of a list as written: its string value, or none for an object (always kept). */
export interface ListItem {
  value: string | undefined;
  range: Span;
}

export const targetItems = (targets: readonly Target[]): ListItem[] =>
  targets.map((t) => ({ value: stringItem(t), range: t.range }));

/** What happens to each old item, and where new values go (after, else before, an item; else at the end). */
interface ListPlan {
  fate: Map<ListItem, 'keep' | 'delete' | { value: string }>;
  inserts: { after?: ListItem; before?: ListItem; values: string[] }[];
}

/**
 * Old items against the wanted strings: a longest common subsequence keeps the most; between
 * two kept items, removed items are replaced in place by new values (keeping their comments),
 * and what is left over is removed or written after them. Object targets are always kept.
 */
function plan(targets: readonly ListItem[], wanted: readonly string[]): ListPlan {
  const old = targets.filter((t) => t.value !== undefined);
  const n = old.length;
  const m = wanted.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let a = n - 1; a >= 0; a--)
    for (let b = m - 1; b >= 0; b--)
      lcs[a]![b] =
        old[a]!.value === wanted[b]
          ? lcs[a + 1]![b + 1]! + 1
          : Math.max(lcs[a + 1]![b]!, lcs[a]![b + 1]!);
  const match = new Map<ListItem, number>();
  for (let a = 0, b = 0; a < n && b < m;) {
    if (old[a]!.value === wanted[b]) match.set(old[a++]!, b++);
    else if (lcs[a + 1]![b]! >= lcs[a]![b + 1]!) a++;
    else b++;
  }
  const out: ListPlan = { fate: new Map(targets.map((t) => [t, 'keep'])), inserts: [] };
  let prev: ListItem | undefined;
  let prevAt = -1;
  let removed: ListItem[] = [];
  const close = (next: ListItem | undefined, nextAt: number): void => {
    const values = wanted.slice(prevAt + 1, nextAt);
    removed.forEach((t, i) =>
      out.fate.set(t, i < values.length ? { value: values[i]! } : 'delete'),
    );
    const rest = values.slice(removed.length);
    const after = removed[Math.min(removed.length, values.length) - 1] ?? prev;
    if (rest.length)
      out.inserts.push({ ...(after ? { after } : next ? { before: next } : {}), values: rest });
    removed = [];
  };
  for (const t of old) {
    const at = match.get(t);
    if (at === undefined) {
      removed.push(t);
      continue;
    }
    close(t, at);
    prev = t;
    prevAt = at;
  }
  close(undefined, m);
  return out;
}

/** The end of an item's own text: trailing blank and comment lines are left out. */
function itemEnd(text: string, r: Span): number {
  let end = trimEnd(text, r.start, r.end);
  for (;;) {
    const from = lineStart(text, end);
    if (from <= r.start || !text.slice(from, end).trimStart().startsWith('#')) return end;
    end = trimEnd(text, r.start, from);
  }
}

/**
 * Edits that make the string items of list `field` equal `wanted`, in order, keeping object
 * targets and kept items as written. Undefined when the list is not a sequence (the caller
 * then writes a whole new value).
 */
export function setList(
  text: string,
  field: FieldRange,
  targets: readonly ListItem[],
  wanted: readonly string[],
  eol: string,
  fieldIndent: number,
): EditResult | undefined {
  const { fate, inserts } = plan(targets, wanted);
  const insertsAfter = (t: ListItem | undefined): string[] =>
    inserts.filter((x) => x.after === t && (t || !x.before)).flatMap((x) => x.values);
  const insertsBefore = (t: ListItem): string[] =>
    inserts.filter((x) => x.before === t).flatMap((x) => x.values);
  if (text[field.value.start] === '[') {
    const items: string[] = [];
    for (const t of targets) {
      const f = fate.get(t);
      items.push(...insertsBefore(t).map((v) => yamlScalar(v, true)));
      if (f === 'keep') items.push(text.slice(t.range.start, itemEnd(text, t.range)));
      else if (f !== 'delete' && f) items.push(yamlScalar(f.value, true));
      items.push(...insertsAfter(t).map((v) => yamlScalar(v, true)));
    }
    items.push(...insertsAfter(undefined).map((v) => yamlScalar(v, true)));
    return { edits: [replace(field.value, `[${items.join(', ')}]`)] };
  }
  const first = targets[0];
  if (!first || !text.slice(lineStart(text, first.range.start), first.range.start).includes('-'))
    return undefined;
  const dash = (t: ListItem): string => {
    const before = text.slice(lineStart(text, t.range.start), t.range.start);
    return /^\s*-\s+$/.test(before) ? before : `${' '.repeat(fieldIndent + 2)}- `;
  };
  const prefix = dash(targets.find((t) => t.value !== undefined) ?? first);
  const lines = (at: number, values: string[]): TextEdit[] => {
    if (values.length === 0) return [];
    const lead = at === text.length && !text.endsWith('\n') ? eol : '';
    return [insert(at, lead + values.map((v) => `${prefix}${yamlScalar(v)}${eol}`).join(''))];
  };
  const edits: TextEdit[] = [];
  for (const t of targets) {
    const f = fate.get(t);
    edits.push(...lines(lineStart(text, t.range.start), insertsBefore(t)));
    if (f === 'delete') edits.push(deleteLines(text, t.range.start, t.range.end));
    else if (f && f !== 'keep')
      edits.push(replace(t.range, scalarLike(text.slice(t.range.start, t.range.end), f.value)));
    edits.push(...lines(lineEndWithBreak(text, itemEnd(text, t.range)), insertsAfter(t)));
  }
  const last = targets[targets.length - 1]!;
  edits.push(...lines(lineEndWithBreak(text, itemEnd(text, last.range)), insertsAfter(undefined)));
  return { edits };
}
