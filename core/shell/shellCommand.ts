/**
 * Makes a task's command safe to fill: every `${params.X}`-style reference becomes a quoted
 * reference to an environment variable that carries its value, written for the quoting context
 * it stands in, so a value never passes through the shell's parser (contract section 7).
 */
import { findTemplateParts, type Reference, refLabel } from '../interpolate';

export interface ShellRefProblem {
  ref: Reference;
  message: string;
}

export interface ShellCommand {
  /** The command to give the shell: no value is in it, only `${TRIBUTARY_V_…}` references. */
  command: string;
  /** Environment variable name → the reference whose value it carries (one per distinct reference). */
  vars: Record<string, Reference>;
  /** References that stand where nothing can be filled safely; they are left empty in `command`. */
  problems: ShellRefProblem[];
}

interface Heredoc {
  delimiter: string;
  quoted: boolean;
  stripTabs: boolean;
}

const WORD_START = /[\s;&|()<>]/;
const DELIM_END = /[\s;&|()<>]/;

function refText(r: Reference): string {
  return `\${${refLabel(r)}}`;
}

function varName(r: Reference, taken: Set<string>): string {
  const base = `TRIBUTARY_V_${refLabel(r).replace(/[^A-Za-z0-9_]/g, '_')}`;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
  return name;
}

/** Rewrites `text` (a `run:` command) for the shell; see ShellCommand. */
export function shellCommand(text: string): ShellCommand {
  const parts = new Map(findTemplateParts(text).map((p) => [p.start, p]));
  const vars: Record<string, Reference> = {};
  const byRef = new Map<string, string>();
  const problems: ShellRefProblem[] = [];
  const out: string[] = [];
  const pending: Heredoc[] = [];
  let i = 0;

  const nameOf = (r: Reference): string => {
    const key = refLabel(r);
    let name = byRef.get(key);
    if (!name) {
      name = varName(r, new Set(Object.keys(vars)));
      byRef.set(key, name);
      vars[name] = r;
    }
    return name;
  };

  /** Handles a reference or an escaped `$${…}` at i; `fill` writes a reference for this context. */
  const template = (fill: ((name: string) => string) | string): boolean => {
    const part = parts.get(i);
    if (!part) return false;
    i = part.end;
    if (!part.ref) {
      out.push(part.literal);
      return true;
    }
    if (typeof fill === 'string') {
      problems.push({ ref: part.ref, message: `${refText(part.ref)} ${fill}` });
      out.push("''"); // inert: never the value, never raw text
    } else out.push(fill(nameOf(part.ref)));
    return true;
  };

  const copy = (n = 1): void => {
    out.push(text.slice(i, i + n));
    i += n;
  };

  const unquoted = (name: string): string => `"\${${name}}"`;
  const inDouble = (name: string): string => `\${${name}}`;

  /** Plain shell text; inside `$(…)` it ends at the matching `)`. */
  const plain = (inParens: boolean): void => {
    let depth = 0;
    while (i < text.length) {
      if (template(unquoted)) continue;
      const c = text[i] as string;
      const next = text[i + 1];
      if (c === '\\') copy(2);
      else if (c === "'") single();
      else if (c === '"') double();
      else if (c === '$' && next === "'") ansi();
      else if (c === '$' && next === '"') {
        i++;
        out.push('$');
        double();
      } else if (c === '`') backtick();
      else if (c === '$' && next === '(' && text[i + 2] === '(') arith(3);
      else if (c === '$' && next === '(') {
        copy(2);
        plain(true);
      } else if (c === '$' && next === '{') brace();
      else if (c === '(' && next === '(') arith(2);
      else if (c === '#' && (i === 0 || WORD_START.test(text[i - 1] as string))) comment();
      else if (c === '<' && next === '<' && text[i + 2] !== '<') heredocOperator();
      else if (c === '\n') {
        copy();
        bodies();
      } else if (inParens && c === '(') {
        depth++;
        copy();
      } else if (inParens && c === ')') {
        copy();
        if (depth-- === 0) return;
      } else copy();
    }
  };

  const single = (): void => {
    copy();
    while (i < text.length) {
      if (template((name) => `'"\${${name}}"'`)) continue;
      const c = text[i];
      copy();
      if (c === "'") return;
    }
  };

  const ansi = (): void => {
    copy(2);
    while (i < text.length) {
      if (template((name) => `'"\${${name}}"$'`)) continue;
      const c = text[i];
      if (c === '\\') copy(2);
      else {
        copy();
        if (c === "'") return;
      }
    }
  };

  const double = (): void => {
    copy();
    while (i < text.length) {
      if (template(inDouble)) continue;
      const c = text[i];
      const next = text[i + 1];
      if (c === '\\') copy(2);
      else if (c === '"') return copy();
      else if (c === '`') backtick();
      else if (c === '$' && next === '(' && text[i + 2] === '(') arith(3);
      else if (c === '$' && next === '(') {
        copy(2);
        plain(true);
      } else if (c === '$' && next === '{') brace();
      else copy();
    }
  };

  const backtick = (): void => {
    copy();
    while (i < text.length) {
      if (template('inside backticks cannot be filled safely: write $(…) instead of `…`')) continue;
      const c = text[i];
      if (c === '\\') copy(2);
      else {
        copy();
        if (c === '`') return;
      }
    }
  };

  const arith = (open: number): void => {
    copy(open);
    let depth = 0;
    const why =
      'inside arithmetic ((…)) would be evaluated as an expression, which can run code: use it outside, e.g. expr "${params.X}" + 1';
    while (i < text.length) {
      if (template(why)) continue;
      const c = text[i];
      if (c === '(') depth++;
      else if (c === ')' && depth-- === 0) {
        copy(text[i + 1] === ')' ? 2 : 1);
        return;
      }
      copy();
    }
  };

  const brace = (): void => {
    copy(2);
    let depth = 0;
    const why =
      'inside a shell ${…} expansion cannot be filled safely: assign it first (v="${params.X}") and write ${NAME:-$v}';
    while (i < text.length) {
      if (template(why)) continue;
      const c = text[i];
      if (c === '\\') copy(2);
      else if (c === '{') {
        depth++;
        copy();
      } else if (c === '}') {
        copy();
        if (depth-- === 0) return;
      } else copy();
    }
  };

  const comment = (): void => {
    while (i < text.length && text[i] !== '\n') if (!template(inDouble)) copy();
  };

  const heredocOperator = (): void => {
    copy(2);
    const stripTabs = text[i] === '-';
    if (stripTabs) copy();
    while (text[i] === ' ' || text[i] === '\t') copy();
    let delimiter = '';
    let quoted = false;
    while (i < text.length && !DELIM_END.test(text[i] as string)) {
      const c = text[i] as string;
      if (c === "'" || c === '"') {
        quoted = true;
        const end = text.indexOf(c, i + 1);
        const stop = end < 0 ? text.length : end + 1;
        delimiter += text.slice(i + 1, end < 0 ? text.length : end);
        out.push(text.slice(i, stop));
        i = stop;
      } else if (c === '\\') {
        quoted = true;
        delimiter += text[i + 1] ?? '';
        copy(2);
      } else {
        delimiter += c;
        copy();
      }
    }
    if (delimiter) pending.push({ delimiter, quoted, stripTabs });
  };

  /** Here-document bodies start after the line that holds their operators. */
  const bodies = (): void => {
    while (pending.length > 0) {
      const doc = pending.shift() as Heredoc;
      while (i < text.length) {
        const eol = text.indexOf('\n', i);
        const end = eol < 0 ? text.length : eol;
        const line = text.slice(i, end);
        if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter) {
          copy(end - i + (eol < 0 ? 0 : 1));
          break;
        }
        while (i < end) {
          if (doc.quoted) {
            if (
              template(
                `in a here-document with a quoted delimiter (<<'${doc.delimiter}') cannot be filled safely: write the delimiter unquoted (<<${doc.delimiter}), where it is filled as data`,
              )
            )
              continue;
            copy();
          } else if (template(inDouble)) continue;
          else copy(text[i] === '\\' && i + 1 < end ? 2 : 1);
        }
        if (eol >= 0) copy();
      }
    }
  };

  plain(false);
  return { command: out.join(''), vars, problems };
}
