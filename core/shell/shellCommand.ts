/**
 * Makes a task's command safe to fill: every `${params.X}`-style reference becomes a quoted
 * reference to an environment variable that carries its value, written for the quoting context
 * it stands in, so a value never passes through the shell's parser (contract section 7).
 */
import { findTemplateParts, type Reference, refLabel, type TemplatePart } from '../interpolate';
import { type CodePlace, type CommandCode, commandCode } from './codePlaces';

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
  /** Set when the command reads the body as a program (bash, python…) or SQL. */
  code?: CommandCode['stdin'];
}

/** Names declared integer (`declare -i n`, `let n=…`) anywhere in the command text. */
const INTEGER_DECL =
  /\b(?:(?:declare|typeset|local)\s+(?:[-+][A-Za-z]+\s+)*-[A-Za-z]*i[A-Za-z]*((?:\s+[A-Za-z_][A-Za-z0-9_]*(?:=[^\s;&|]*)?)+)|let\s+([A-Za-z_][A-Za-z0-9_]*))/g;
/** Commands whose output is their arguments. */
const PRINTERS = /^(?:echo|printf)$/;
/** Values Tributary makes itself: they cannot hold a quote, so SQL text may hold them. */
const SQL_SAFE = new Set(['partition', 'run', 'task']);

function integerNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(INTEGER_DECL))
    for (const n of (m[1] ?? m[2] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)(?:=[^\s;&|]*)?/g))
      names.add(n[1] as string);
  return names;
}

const WORD_START = /[\s;&|()<>]/;
/** First characters of the words that start bash arithmetic (`let`, `declare -i`, `[[`, `name[`). */
const ARITH_START = /[A-Za-z_[]/;
const LET = /let\s/y;
const DECLARE_I = /(?:declare|typeset|local|readonly|export)\s+(?:-[A-Za-z]+\s+)*-[A-Za-z]*i/y;
const DOUBLE_BRACKET = /\[\[\s/y;
const ARITH_TEST = /\s-(?:eq|ne|lt|le|gt|ge)\s/;
const ARRAY_INDEX = /[A-Za-z_][A-Za-z0-9_]*\[/y;
const COMMAND_END = /[;&|\n]/y;
const ARITH_COMMAND =
  'in let or declare -i would be evaluated as an arithmetic expression, which can run code: check it is a number first ([ "${params.X}" -eq "${params.X}" ] 2>/dev/null)';
const ARITH_TEST_WHY =
  'in [[ … -eq … ]] would be evaluated as an arithmetic expression, which can run code: compare numbers with [ "${params.X}" -eq 1 ] (test does not evaluate)';
const ARRAY_INDEX_WHY =
  'in an array index would be evaluated as an arithmetic expression, which can run code: for an associative array (declare -A m) assign the key first (k="${params.X}") and write m[$k]';
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

const unquoted = (name: string): string => `"\${${name}}"`;
const inDouble = (name: string): string => `\${${name}}`;
const inSingle = (name: string): string => `'"\${${name}}"'`;
const inAnsi = (name: string): string => `'"\${${name}}"$'`;

/** One command being rewritten: a position, the output so far, the variables named. */
class Scanner {
  readonly parts: Map<number, TemplatePart>;
  readonly vars: Record<string, Reference> = {};
  readonly byRef = new Map<string, string>();
  readonly problems: ShellRefProblem[] = [];
  readonly out: string[] = [];
  readonly pending: Heredoc[] = [];
  i = 0;
  /** Text between replacements is copied in one slice when the next replacement (or the end) comes. */
  copied = 0;
  /** Spans of the text a second parser reads as code (see codePlaces.ts). */
  readonly places: CodePlace[] = [];
  /** True where a new simple command starts (at the start, after `;`, `|`, `&`, a newline, `(`). */
  commandStart = true;
  current: { start: number; end: number; stdin?: CommandCode['stdin'] } | undefined;
  /** While in a here-document body that is a program: why. */
  body: CommandCode['stdin'];
  readonly integers: Set<string>;

  constructor(readonly text: string) {
    this.parts = new Map(findTemplateParts(text).map((p) => [p.start, p]));
    this.integers = integerNames(text);
  }

  /** At the start of a simple command: finds the places in it that are code. */
  command(): void {
    this.commandStart = false;
    const code = commandCode(this.text, this.i, this.integers);
    let stdin = code.stdin;
    if (code.pipe) {
      // `echo "${…}" | bash`: what this command writes (its arguments for echo/printf, its
      // here-document or here-string) is the next one's program. `cat ${file} | psql` is not.
      const piped = commandCode(this.text, code.end + 1, this.integers).stdin;
      if (piped) {
        const printed = PRINTERS.test(code.name) ? [{ start: this.i, end: code.end }] : [];
        for (const w of [...printed, ...code.hereStrings])
          this.places.push({ start: w.start, end: w.end, ...piped });
        stdin ??= piped;
      }
    }
    this.places.push(...code.places);
    this.current = { start: this.i, end: code.end, ...(stdin ? { stdin } : {}) };
  }

  /** The code place at i, if any; a reference there is a problem (SQL lets our own values by). */
  placeAt(ref: Reference): { why: string; sql?: boolean } | undefined {
    let found: { why: string; sql?: boolean } | undefined = this.body;
    for (const p of this.places) if (this.i >= p.start && this.i < p.end) found = p;
    if (found?.sql && SQL_SAFE.has(ref.ns)) return undefined;
    return found;
  }

  nameOf(r: Reference): string {
    const key = refLabel(r);
    let name = this.byRef.get(key);
    if (!name) {
      name = varName(r, new Set(Object.keys(this.vars)));
      this.byRef.set(key, name);
      this.vars[name] = r;
    }
    return name;
  }

  /** Handles a reference or an escaped `$${…}` at i; `fill` writes a reference for this context. */
  template(fill: ((name: string) => string) | string): boolean {
    const part = this.parts.get(this.i);
    if (!part) return false;
    let replacement: string;
    const place = part.ref && typeof fill !== 'string' ? this.placeAt(part.ref) : undefined;
    if (!part.ref) replacement = part.literal;
    else if (typeof fill === 'string' || place) {
      const why = typeof fill === 'string' ? fill : (place as CodePlace).why;
      this.problems.push({ ref: part.ref, message: `${refText(part.ref)} ${why}` });
      replacement = "''"; // inert: never the value, never raw text
    } else replacement = fill(this.nameOf(part.ref));
    this.out.push(this.text.slice(this.copied, this.i), replacement);
    this.i = part.end;
    this.copied = this.i;
    return true;
  }

  copy(n = 1): void {
    this.i += n;
  }

  /** Plain shell text; inside `$(…)` it ends at the matching `)`. */
  plain(inParens: boolean): void {
    let depth = 0;
    while (this.i < this.text.length) {
      const c = this.text[this.i] as string;
      if (this.commandStart && !/[\s;&|)]/.test(c)) this.command();
      if (this.template(unquoted)) continue;
      const next = this.text[this.i + 1];
      if (ARITH_START.test(c) && this.atWordStart() && this.arithmeticWord()) continue;
      if (c === '\\') this.copy(2);
      else if (c === "'") this.single();
      else if (c === '"') this.double();
      else if (c === '$' && next === "'") this.ansi();
      else if (c === '$' && next === '"') {
        this.i++;
        this.double();
      } else if (c === '`') this.backtick();
      else if (c === '$' && next === '(' && this.text[this.i + 2] === '(') this.arith(3);
      else if (c === '$' && next === '[') this.arith(2, ']');
      else if (c === '$' && next === '(') this.substitution();
      else if (c === '$' && next === '{') this.brace();
      else if (c === '(' && next === '(') this.arith(2);
      else if (c === '#' && (this.i === 0 || WORD_START.test(this.text[this.i - 1] as string)))
        this.comment();
      // A here-string `<<<` is an operator followed by a word, filled like any word.
      else if (c === '<' && next === '<' && this.text[this.i + 2] === '<') this.copy(3);
      else if (c === '<' && next === '<') this.heredocOperator();
      else if (c === '\n') {
        this.copy();
        this.commandStart = true;
        this.bodies();
      } else if (inParens && c === '(') {
        depth++;
        this.commandStart = true;
        this.copy();
      } else if (inParens && c === ')') {
        this.copy();
        if (depth-- === 0) return;
      } else {
        if (c === ';' || c === '&' || c === '|' || c === '(') this.commandStart = true;
        this.copy();
      }
    }
  }

  atWordStart(): boolean {
    return this.i === 0 || WORD_START.test(this.text[this.i - 1] as string);
  }

  /**
   * Bash evaluates a variable's value as an arithmetic expression (where `a[$(cmd)]` runs cmd) in
   * `let`, `declare -i`, `[[ … -eq … ]]` and array indexes: a `${…}` there is a problem. Handles
   * such a word at i and returns true; false for any other word.
   */
  arithmeticWord(): boolean {
    const at = (re: RegExp): RegExpExecArray | null => {
      re.lastIndex = this.i;
      return re.exec(this.text);
    };
    if (at(LET) || at(DECLARE_I)) {
      this.until(COMMAND_END, ARITH_COMMAND);
      return true;
    }
    const bracket = at(DOUBLE_BRACKET);
    if (bracket) {
      const end = this.text.indexOf(']]', this.i + 2);
      const region = this.text.slice(this.i, end < 0 ? this.text.length : end);
      if (!ARITH_TEST.test(region)) return false;
      this.until(/\]\]/y, ARITH_TEST_WHY);
      return true;
    }
    const index = at(ARRAY_INDEX);
    if (index) {
      this.copy(index[0].length);
      this.until(/\]/y, ARRAY_INDEX_WHY);
      return true;
    }
    return false;
  }

  /** Copies up to and including the first unquoted match of `end`; every `${…}` on the way is a problem. */
  until(end: RegExp, why: string): void {
    let quote = '';
    while (this.i < this.text.length) {
      if (this.template(why)) continue;
      const c = this.text[this.i] as string;
      if (quote) {
        if (c === '\\' && quote === '"') this.copy(2);
        else {
          if (c === quote) quote = '';
          this.copy();
        }
        continue;
      }
      if (c === "'" || c === '"') quote = c;
      else if (c === '\\') {
        this.copy(2);
        continue;
      }
      end.lastIndex = this.i;
      const m = end.exec(this.text);
      if (m) {
        // A command's end (`;`, newline…) belongs to the plain text around it: leave it there.
        if (end !== COMMAND_END) this.copy(m[0].length);
        return;
      }
      this.copy();
    }
  }

  /** `$(…)`: a new command starts inside; after it, the word goes on. */
  substitution(): void {
    this.copy(2);
    this.commandStart = true;
    this.plain(true);
    this.commandStart = false;
  }

  single(): void {
    this.copy();
    while (this.i < this.text.length) {
      if (this.template(inSingle)) continue;
      const c = this.text[this.i];
      this.copy();
      if (c === "'") return;
    }
  }

  ansi(): void {
    this.copy(2);
    while (this.i < this.text.length) {
      if (this.template(inAnsi)) continue;
      const c = this.text[this.i];
      if (c === '\\') this.copy(2);
      else {
        this.copy();
        if (c === "'") return;
      }
    }
  }

  double(): void {
    this.copy();
    while (this.i < this.text.length) {
      if (this.template(inDouble)) continue;
      const c = this.text[this.i];
      const next = this.text[this.i + 1];
      if (c === '\\') this.copy(2);
      else if (c === '"') return this.copy();
      else if (c === '`') this.backtick();
      else if (c === '$' && next === '(' && this.text[this.i + 2] === '(') this.arith(3);
      else if (c === '$' && next === '[') this.arith(2, ']');
      else if (c === '$' && next === '(') this.substitution();
      else if (c === '$' && next === '{') this.brace();
      else this.copy();
    }
  }

  backtick(): void {
    this.copy();
    while (this.i < this.text.length) {
      if (this.template('inside backticks cannot be filled safely: write $(…) instead of `…`'))
        continue;
      const c = this.text[this.i];
      if (c === '\\') this.copy(2);
      else {
        this.copy();
        if (c === '`') return;
      }
    }
  }

  /** `$((…))`, `((…))` or the old `$[…]` (shut = `]`). */
  arith(open: number, shut = ')'): void {
    this.copy(open);
    let depth = 0;
    const why = `inside arithmetic ${shut === ']' ? '$[…]' : '((…))'} would be evaluated as an expression, which can run code: use it outside, e.g. expr "\${params.X}" + 1`;
    const opener = shut === ']' ? '[' : '(';
    while (this.i < this.text.length) {
      if (this.template(why)) continue;
      const c = this.text[this.i];
      if (c === opener) depth++;
      else if (c === shut && depth-- === 0) {
        this.copy(shut === ')' && this.text[this.i + 1] === ')' ? 2 : 1);
        return;
      }
      this.copy();
    }
  }

  brace(): void {
    this.copy(2);
    let depth = 0;
    const why =
      'inside a shell ${…} expansion cannot be filled safely: assign it first (v="${params.X}") and write ${NAME:-$v}';
    while (this.i < this.text.length) {
      if (this.template(why)) continue;
      const c = this.text[this.i];
      if (c === '\\') this.copy(2);
      else if (c === '{') {
        depth++;
        this.copy();
      } else if (c === '}') {
        this.copy();
        if (depth-- === 0) return;
      } else this.copy();
    }
  }

  comment(): void {
    while (this.i < this.text.length && this.text[this.i] !== '\n')
      if (!this.template(inDouble)) this.copy();
  }

  heredocOperator(): void {
    this.copy(2);
    const stripTabs = this.text[this.i] === '-';
    if (stripTabs) this.copy();
    while (this.text[this.i] === ' ' || this.text[this.i] === '\t') this.copy();
    let delimiter = '';
    let quoted = false;
    while (this.i < this.text.length && !DELIM_END.test(this.text[this.i] as string)) {
      const c = this.text[this.i] as string;
      if (c === "'" || c === '"') {
        quoted = true;
        const end = this.text.indexOf(c, this.i + 1);
        const stop = end < 0 ? this.text.length : end + 1;
        delimiter += this.text.slice(this.i + 1, end < 0 ? this.text.length : end);
        this.i = stop;
      } else if (c === '\\') {
        quoted = true;
        delimiter += this.text[this.i + 1] ?? '';
        this.copy(2);
      } else {
        delimiter += c;
        this.copy();
      }
    }
    const cur = this.current;
    const code = cur && this.i > cur.start && this.i <= cur.end ? cur.stdin : undefined;
    if (delimiter) this.pending.push({ delimiter, quoted, stripTabs, ...(code ? { code } : {}) });
  }

  /** Here-document bodies start after the line that holds their operators. */
  /** One step in an unquoted here-document body, which expands as double quotes do. */
  bodyChar(end: number): void {
    const c = this.text[this.i];
    const next = this.text[this.i + 1];
    if (c === '\\') this.copy(this.i + 1 < end ? 2 : 1);
    else if (c === '`') this.backtick();
    else if (c === '$' && next === '(' && this.text[this.i + 2] === '(') this.arith(3);
    else if (c === '$' && next === '[') this.arith(2, ']');
    else if (c === '$' && next === '(') this.substitution();
    else if (c === '$' && next === '{') this.brace();
    else this.copy();
  }

  bodies(): void {
    while (this.pending.length > 0) {
      const doc = this.pending.shift() as Heredoc;
      this.body = doc.code;
      while (this.i < this.text.length) {
        const eol = this.text.indexOf('\n', this.i);
        const end = eol < 0 ? this.text.length : eol;
        const line = this.text.slice(this.i, end);
        if ((doc.stripTabs ? line.replace(/^\t+/, '') : line) === doc.delimiter) {
          this.copy(end - this.i + (eol < 0 ? 0 : 1));
          break;
        }
        while (this.i < end) {
          if (doc.quoted) {
            if (
              this.template(
                `in a here-document with a quoted delimiter (<<'${doc.delimiter}') cannot be filled safely: write the delimiter unquoted (<<${doc.delimiter}), where it is filled as data`,
              )
            )
              continue;
            this.copy();
          } else if (this.template(inDouble)) continue;
          else this.bodyChar(end);
        }
        // A `$(…)` in the body may have carried i past this line's end.
        if (eol >= 0 && this.i === end) this.copy();
      }
      this.body = undefined;
    }
  }
}

/** Rewrites `text` (a `run:` command) for the shell; see ShellCommand. */
export function shellCommand(text: string): ShellCommand {
  if (!text.includes('${')) return { command: text, vars: {}, problems: [] };
  const s = new Scanner(text);
  s.plain(false);
  s.out.push(text.slice(s.copied));
  return { command: s.out.join(''), vars: s.vars, problems: s.problems };
}
