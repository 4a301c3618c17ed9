/**
 * Setting a task's `env` from `KEY=value` lines (what the panel sends), entry by entry: kept
 * entries and their comments stay, a changed value is rewritten in place, new ones follow.
 */
import { isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { FieldRange, TextEdit } from '../model';
import type { EditResult } from './sequences';
import {
  columnOf,
  deleteLines,
  insert,
  lineEndWithBreak,
  lineStart,
  replace,
  scalarLike,
  trimEnd,
  yamlScalar,
} from './text';

const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `KEY=value` lines as entries, or what is wrong with the first bad one. */
export function envEntries(lines: readonly string[]): [string, string][] | { error: string } {
  const out: [string, string][] = [];
  for (const line of lines) {
    const at = line.indexOf('=');
    const key = line.slice(0, Math.max(at, 0)).trim();
    if (at < 0 || !ENV_KEY.test(key)) return { error: `'${line}' is not KEY=value` };
    if (out.some(([k]) => k === key)) return { error: `${key} is set twice` };
    out.push([key, line.slice(at + 1)]);
  }
  return out;
}

/** A new `env:` block: one entry a line under the key. */
export function envBlock(
  entries: readonly [string, string][],
  indent: number,
  eol: string,
): string {
  return entries.map(([k, v]) => `${eol}${' '.repeat(indent)}${k}: ${yamlScalar(v)}`).join('');
}

/**
 * Edits that make the `env` mapping at `field` hold exactly `wanted` (values as strings).
 * Undefined when the mapping is not a plain block mapping (the caller rewrites the value).
 */
export function setEnvMap(
  text: string,
  field: FieldRange,
  current: Record<string, string>,
  wanted: readonly [string, string][],
  eol: string,
): EditResult | undefined {
  const from = lineStart(text, field.value.start);
  if (text[field.value.start] === '{' || from === lineStart(text, field.key.start))
    return undefined;
  const doc = parseDocument(text.slice(from, field.value.end));
  const root = doc.contents;
  if (doc.errors.length > 0 || !isMap(root) || root.items.length === 0) return undefined;
  const want = new Map(wanted);
  const edits: TextEdit[] = [];
  let lastEnd = field.value.start;
  let indent = -1;
  for (const pair of root.items) {
    if (!isPair(pair) || !isScalar(pair.key) || !pair.key.range) return undefined;
    const key = String(pair.key.value);
    const keyStart = from + pair.key.range[0];
    const value = isScalar(pair.value) && pair.value.range ? pair.value : undefined;
    const valueEnd = trimEnd(text, keyStart, from + (value?.range?.[1] ?? pair.key.range[1]));
    if (indent < 0) indent = columnOf(text, keyStart);
    lastEnd = Math.max(lastEnd, valueEnd);
    if (!want.has(key)) edits.push(deleteLines(text, keyStart, valueEnd));
    else if (current[key] !== want.get(key)) {
      if (!value?.range) return undefined;
      const span = { start: from + value.range[0], end: valueEnd };
      edits.push(replace(span, scalarLike(text.slice(span.start, span.end), want.get(key)!)));
    }
  }
  const added = wanted.filter(
    ([k]) => !root.items.some((p) => isScalar(p.key) && String(p.key.value) === k),
  );
  if (added.length) {
    const at = lineEndWithBreak(text, lastEnd);
    const lead = at === text.length && !text.endsWith('\n') ? eol : '';
    edits.push(insert(at, lead + envBlock(added, indent, eol).slice(eol.length) + eol));
  }
  return { edits };
}
