/**
 * Splits one simple shell command into words, roughly as the shell does, so the rewriter can
 * tell which arguments a second parser (another shell, an interpreter, ssh's remote shell, SQL)
 * or bash's own name/arithmetic evaluation would read as code.
 */

export interface Word {
  start: number;
  end: number;
  /** The word with quotes and backslashes removed (good enough to recognise names and flags). */
  text: string;
  /** Offset of the first unquoted `=` (assignments, `declare NAME=…`), or -1. */
  eq: number;
}

export interface CommandWords {
  words: Word[];
  /** Words after `<<<`: the here-string is the command's input. */
  hereStrings: Word[];
  /** Where the command ends (at its `;`, `&`, `|`, newline, `)` or the end of the text). */
  end: number;
  /** `|` when the command's output is piped into the next one. */
  pipe: boolean;
}

const BLANK = /[ \t]/;
const WORD_STOP = /[\s;&|<>]/;

/** Skips a quoted or nested construct at i and returns where it ends, or undefined if none. */
function skipNested(text: string, i: number): number | undefined {
  const c = text[i];
  const next = text[i + 1];
  if (c === '\\') return i + 2;
  if (c === "'") return closing(text, i + 1, "'");
  if (c === '`') return closing(text, i + 1, '`');
  if (c === '$' && next === "'") {
    let j = i + 2;
    while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
    return j + 1;
  }
  if (c === '"' || (c === '$' && next === '"')) {
    let j = c === '"' ? i + 1 : i + 2;
    while (j < text.length && text[j] !== '"') j = skipNested(text, j) ?? j + 1;
    return j + 1;
  }
  if (c === '$' && (next === '(' || next === '{' || next === '[')) {
    const open = next;
    const shut = open === '(' ? ')' : open === '{' ? '}' : ']';
    let depth = 0;
    let j = i + 2;
    while (j < text.length) {
      const d = text[j];
      if (d === shut && depth-- === 0) return j + 1;
      if (d === open) depth++;
      j = d === "'" && open !== '(' ? j + 1 : (skipNested(text, j) ?? j + 1);
    }
    return j;
  }
  return undefined;
}

function closing(text: string, from: number, quote: string): number {
  const end = text.indexOf(quote, from);
  return end < 0 ? text.length : end + 1;
}

function unquote(raw: string): string {
  return raw.replace(/\\(.)|['"]/gs, (_m, escaped: string | undefined) => escaped ?? '');
}

/** Reads one word at i (which is not blank); returns it. */
function word(text: string, i: number): Word {
  const start = i;
  let depth = 0;
  let eq = -1;
  while (i < text.length) {
    const c = text[i] as string;
    if (depth === 0 && (WORD_STOP.test(c) || c === ')')) break;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (c === '=' && eq < 0) eq = i;
    i = skipNested(text, i) ?? i + 1;
  }
  return { start, end: i, text: unquote(text.slice(start, i)), eq };
}

/**
 * The words of the simple command that starts at i. In `[[ … ]]` the command runs to `]]`
 * (its `&&`, `<` and `(` are part of it).
 */
export function commandWords(text: string, i: number): CommandWords {
  const words: Word[] = [];
  const hereStrings: Word[] = [];
  let test = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (BLANK.test(c) || (c === '\\' && text[i + 1] === '\n')) {
      i += c === '\\' ? 2 : 1;
      continue;
    }
    if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) break;
    if (test && /[;&|<>()]/.test(c)) {
      i++;
      continue;
    }
    if (/[\n;&|)]/.test(c) || (c === '(' && words.length === 0)) {
      const pipe = c === '|' && text[i + 1] !== '|';
      return { words, hereStrings, end: i, pipe };
    }
    if (c === '<' || c === '>') {
      const op = /^[<>]+[&|-]?/.exec(text.slice(i, i + 4))?.[0] ?? c;
      i += op.length;
      while (BLANK.test(text[i] ?? '')) i++;
      if (i < text.length && !/[\n;&|)]/.test(text[i] as string)) {
        const target = word(text, i);
        if (op === '<<<') hereStrings.push(target);
        i = target.end;
      }
      continue;
    }
    const w = word(text, i);
    if (w.end === i) {
      i++;
      continue;
    }
    // A redirection's fd number (`2>err`) is not a word.
    if (!(/^\d+$/.test(w.text) && /[<>]/.test(text[w.end] ?? ''))) words.push(w);
    if (words.length === 1 && w.text === '[[') test = true;
    if (test && w.text === ']]') return { words, hereStrings, end: w.end, pipe: false };
    i = w.end;
  }
  return { words, hereStrings, end: i, pipe: false };
}
