/** Appending to and removing from a YAML sequence value, flow (`[a, b]`) or block (`- a`). */
import type { FieldRange, Span, TextEdit } from '../model';
import {
  deleteLines,
  eolOf,
  insert,
  lineEndWithBreak,
  lineStart,
  replace,
  yamlScalar,
} from './text';

export type EditResult = { edits: TextEdit[] } | { error: string };

function isFlow(text: string, value: Span): boolean {
  return text[value.start] === '[';
}

/** Adds `item` to the sequence of `field`, whose items are at `items`. */
export function appendItem(
  text: string,
  field: FieldRange,
  items: Span[],
  item: string,
): EditResult {
  const { value, key } = field;
  const last = items[items.length - 1];
  if (isFlow(text, value)) {
    if (last) return { edits: [insert(last.end, `, ${yamlScalar(item, true)}`)] };
    return { edits: [insert(value.start + 1, yamlScalar(item, true))] };
  }
  if (last && text.slice(lineStart(text, last.start), last.start).trimStart().startsWith('-')) {
    const prefix = text.slice(lineStart(text, last.start), last.start);
    const at = lineEndWithBreak(text, last.end);
    const needsBreak = at === text.length && !text.endsWith('\n');
    const eol = eolOf(text);
    return {
      edits: [
        insert(
          at,
          `${needsBreak ? eol : ''}${prefix}${yamlScalar(item)}${at === text.length && !needsBreak ? '' : ''}${needsBreak ? '' : eol}`,
        ),
      ],
    };
  }
  if (last) {
    // A single scalar (`needs: a`): becomes a flow list.
    return {
      edits: [replace(value, `[${text.slice(last.start, last.end)}, ${yamlScalar(item, true)}]`)],
    };
  }
  // An empty value (`needs:` or `needs: []` handled above).
  const colon = text.indexOf(':', key.end);
  const end = value.end > colon ? value.end : colon + 1;
  return { edits: [replace({ start: colon + 1, end }, ` [${yamlScalar(item, true)}]`)] };
}

/** True when the field's lines hold nothing else (but a comment), so they can be deleted whole. */
function aloneOnItsLines(text: string, field: FieldRange): boolean {
  const before = text.slice(lineStart(text, field.key.start), field.key.start);
  const end = Math.max(field.value.end, field.key.end);
  const after = text.slice(end, lineEndWithBreak(text, end)).trim();
  return before.trim() === '' && (after === '' || after.startsWith('#'));
}

/** Removes item `index`; removing the last one removes the whole field. */
export function removeItem(
  text: string,
  field: FieldRange,
  items: Span[],
  index: number,
): EditResult {
  const item = items[index];
  if (!item) return { error: 'no such item' };
  if (items.length === 1) {
    // Inside a flow map (`t: {run: x, needs: [a]}`) the line holds more than the field: empty the list.
    if (!aloneOnItsLines(text, field)) return { edits: [replace(field.value, '[]')] };
    return {
      edits: [deleteLines(text, field.key.start, Math.max(field.value.end, field.key.end))],
    };
  }
  if (isFlow(text, field.value)) {
    const next = items[index + 1];
    const prev = items[index - 1];
    if (next) return { edits: [replace({ start: item.start, end: next.start }, '')] };
    if (prev) return { edits: [replace({ start: prev.end, end: item.end }, '')] };
  }
  return { edits: [deleteLines(text, item.start, item.end)] };
}

/** A list value written as a new value: flow style unless it is long. */
export function listValue(items: string[], indent: number, eol: string): string {
  const flow = `[${items.map((i) => yamlScalar(i, true)).join(', ')}]`;
  if (flow.length <= 80) return flow;
  return items.map((i) => `${eol}${' '.repeat(indent)}- ${yamlScalar(i)}`).join('');
}
