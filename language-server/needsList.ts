/** The items already written in the `needs` list around the cursor, read from the text (it may not parse while typed). */

/** Names in the flow list (`needs: [a, b, |]`) or the block list (`- a` lines) that holds `offset`, except the one being typed. */
export function listedAround(text: string, offset: number): Set<string> {
  const out = new Set<string>();
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd === -1) lineEnd = text.length;
  const line = text.slice(lineStart, lineEnd);
  const at = offset - lineStart;
  const open = line.lastIndexOf('[', at - 1);
  if (open !== -1) {
    // Flow list on this line: every comma-separated item but the one holding the cursor.
    const close = line.indexOf(']', open);
    const body = line.slice(open + 1, close === -1 ? line.length : close);
    let start = open + 1;
    for (const raw of body.split(',')) {
      const end = start + raw.length;
      if (at < start || at > end) add(out, raw);
      start = end + 1;
    }
    return out;
  }
  if (!/^\s*-/.test(line) && !/^\s*$/.test(line)) return out;
  // Block list: the `- item` lines above and below at the same indentation.
  const indent = line.length - line.trimStart().length;
  const lines = text.split('\n');
  const here = text.slice(0, lineStart).split('\n').length - 1;
  for (const step of [-1, 1]) {
    for (let i = here + step; i >= 0 && i < lines.length; i += step) {
      const l = lines[i] ?? '';
      if (l.trim() === '' || l.trimStart().startsWith('#')) continue;
      const ind = l.length - l.trimStart().length;
      const m = /^\s*-\s*(.*)$/.exec(l);
      if (ind !== indent || !m) break;
      add(out, m[1] ?? '');
    }
  }
  return out;
}

function add(out: Set<string>, raw: string): void {
  const name = raw
    .replace(/\s#.*$/, '')
    .trim()
    .replace(/^(["'])(.*)\1$/, '$2');
  if (name !== '') out.add(name);
}
