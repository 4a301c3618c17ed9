/** Text helpers for minimal edits: lines, indentation, end of line, YAML scalars. */
import type { Span, TextEdit } from '../model';

export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the end of the line holding `offset` (past its newline, if any). */
export function lineEndWithBreak(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl + 1;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** A value written as a YAML scalar: plain when that is safe, otherwise double-quoted. */
export function yamlScalar(value: string, inFlow = false): string {
  const plainSafe =
    value !== '' &&
    /^[A-Za-z0-9_./~$(][^#]*$/.test(value) &&
    !/: |\s#|^\s|\s$/.test(value) &&
    !(inFlow && /[,[\]{}]/.test(value)) &&
    !/[{}[\]]/.test(value.slice(0, 1)) &&
    !/\$\{/.test(value) &&
    !/^(true|false|yes|no|on|off|null|~|-?\d[\d_.e+-]*|\.inf|\.nan)$/i.test(value);
  return plainSafe ? value : JSON.stringify(value);
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort(
    (a, b) => b.range.start - a.range.start || b.range.end - a.range.end,
  );
  let out = text;
  for (const e of sorted) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}

export function replace(range: Span, newText: string): TextEdit {
  return { range, newText };
}

export function insert(at: number, newText: string): TextEdit {
  return { range: { start: at, end: at }, newText };
}

/** The range inside quotes, for a scalar written quoted. */
export function innerRange(text: string, r: Span): Span {
  const first = text[r.start];
  if ((first === '"' || first === "'") && text[r.end - 1] === first && r.end - r.start >= 2) {
    return { start: r.start + 1, end: r.end - 1 };
  }
  return r;
}

/** Removes whole lines [start of line of `from`, end of line of `to`]. */
export function deleteLines(text: string, from: number, to: number): TextEdit {
  return replace(
    { start: lineStart(text, from), end: lineEndWithBreak(text, Math.max(from, to - 1)) },
    '',
  );
}

/** Moves `end` back over trailing white space and line breaks (block nodes' ranges include them). */
export function trimEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && /\s/.test(text[e - 1] ?? '')) e--;
  return e;
}

/** A new value for a scalar, written in the quote style of the one it replaces where possible. */
export function scalarLike(old: string, value: string): string {
  if (old.startsWith('"')) return JSON.stringify(value);
  if (old.startsWith("'") && !value.includes('\n')) return `'${value.replace(/'/g, "''")}'`;
  return yamlScalar(value);
}
