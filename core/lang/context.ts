/**
 * Where the cursor is, read from the text's indentation rather than from a YAML parse, so that
 * completion works while the line being typed does not parse yet.
 */

export interface CursorContext {
  /** Keys from the root to the mapping that holds the cursor, e.g. ['tasks', 'train']. */
  path: string[];
  /** The cursor is where a key is written (start of a mapping line). */
  atKey: boolean;
  /** The key whose value holds the cursor (e.g. 'needs'), when not at a key. */
  key?: string;
  /** The word before the cursor on its line. */
  prefix: string;
  /** Text of the current line before the cursor. */
  linePrefix: string;
  /** Offset where the word under the cursor starts. */
  wordStart: number;
}

const KEY_LINE = /^(\s*)(?:-\s+)?(["']?)([^\s:#"'][^:#]*?)\2\s*:(?:\s|$)/;

interface Line {
  start: number;
  text: string;
}

function linesBefore(text: string, offset: number): { current: Line; previous: Line[] } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const current = { start: lineStart, text: text.slice(lineStart, offset) };
  const previous: Line[] = [];
  let end = lineStart - 1;
  while (end >= 0 && previous.length < 5000) {
    const s = text.lastIndexOf('\n', end - 1) + 1;
    previous.push({ start: s, text: text.slice(s, end).replace(/\r$/, '') });
    end = s - 1;
  }
  return { current, previous };
}

const indentOf = (s: string): number => s.length - s.trimStart().length;

export function cursorContext(text: string, offset: number): CursorContext {
  const { current, previous } = linesBefore(text, offset);
  const linePrefix = current.text;
  const word = /[\w.$/-]*$/.exec(linePrefix)?.[0] ?? '';
  const wordStart = offset - word.length;
  const trimmed = linePrefix.trimStart();
  const bare = trimmed === word;
  const listItem = /^-\s*/.test(trimmed);
  const indent = indentOf(linePrefix);
  const keyOnLine = KEY_LINE.exec(linePrefix);
  const path: string[] = [];
  let key: string | undefined = keyOnLine && !bare ? keyOnLine[3] : undefined;
  // Walk up: each line with a smaller indentation that holds a key is a parent.
  let limit = keyOnLine || bare || listItem ? indent : indent + 1;
  if (!keyOnLine && !bare && !listItem && trimmed === '') limit = indent;
  for (const line of previous) {
    if (line.text.trim() === '' || line.text.trimStart().startsWith('#')) continue;
    const ind = indentOf(line.text);
    const m = KEY_LINE.exec(line.text);
    // A `- item` may sit at its key's own indentation (`needs:\n- a`).
    const sameIndentParent =
      ind === limit && listItem && key === undefined && m && !line.text.trimStart().startsWith('-');
    if (ind < limit || sameIndentParent) {
      if (m) {
        if (key === undefined && (listItem || (!bare && !keyOnLine))) key = m[3];
        else path.unshift(m[3] ?? '');
        limit = ind;
      }
      if (ind === 0) break;
    }
  }
  if (key !== undefined && (bare || listItem) && path.length > 0 && path[path.length - 1] === key)
    path.pop();
  return {
    path,
    atKey: bare && !listItem,
    ...(key !== undefined ? { key } : {}),
    prefix: word,
    linePrefix,
    wordStart,
  };
}

/** The `${ns.` interpolation being typed before the cursor, if any. */
export function interpolationAt(linePrefix: string): { ns: string; partial: string } | undefined {
  const m = /\$\{\s*(params|env|task|run|trigger)\.([\w.-]*)$/.exec(linePrefix);
  return m ? { ns: m[1] ?? '', partial: m[2] ?? '' } : undefined;
}
