/**
 * Which words of one simple command are read as code by something other than this shell's
 * parser (another shell, an interpreter, ssh's remote shell, a SQL client) or as a variable name
 * or arithmetic by bash: a value filled there as data would still run (contract section 7).
 */
import { commandWords, type Word } from './commandWords';

export interface CodePlace {
  start: number;
  end: number;
  /** Why, and the safe form; follows the `${…}` in the message. */
  why: string;
  /** SQL: values Tributary makes itself (partition keys, run id, task name) cannot hold a quote. */
  sql?: boolean;
}

export interface CommandCode {
  end: number;
  places: CodePlace[];
  /** Set when the command reads a program (or SQL) from its input: a here-document body is code. */
  stdin?: { why: string; sql?: boolean };
  pipe: boolean;
  /** The command's name (after prefixes such as sudo, env, xargs). */
  name: string;
  hereStrings: Word[];
}

const SHELLS = /^(?:bash|sh|dash|zsh|ksh|mksh|ash|yash)$/;
const PYTHON = /^(?:python[0-9.]*|pypy[0-9.]*)$/;
const SCRIPTING = /^(?:perl|ruby|node|nodejs|php)$/;
const AWK = /^(?:awk|gawk|mawk|nawk)$/;
/** Words that run the command after them (their own options are skipped). */
const PREFIX =
  /^(?:!|if|then|else|elif|do|while|until|time|\{|exec|command|builtin|nohup|sudo|doas|env|timeout|nice|ionice|stdbuf|setsid|xargs|chrt|taskset|unbuffer)$/;
/** Options of the prefix words that take an argument (skipped with it). */
const PREFIX_ARG =
  /^-(?:[ugCprhTDUg]|-user|-group|I|n|P|L|d|E|s|a|k|c|-signal|-kill-after|-delimiter|-max-args|-max-procs)$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/;
const SSH_ARG = /^-[46AaCfGgKkMNnqsTtVvXxYy]*[BbcDEeFIiJLlmOopQRSWw]$/;

const shellWhy = (name: string): string =>
  `in the command string of ${name} -c is parsed again by that shell, where it runs as code: pass it as an argument instead: ${name} -c 'cmd "$1"' _ "\${params.X}"`;
const ARGV: Record<string, string> = {
  python: 'sys.argv[1]',
  perl: '$ARGV[0]',
  ruby: 'ARGV[0]',
  node: 'process.argv[1] (node -e)',
  php: '$argv[1]',
};
const interpreterWhy = (name: string, flag: string): string => {
  const lang = PYTHON.test(name) ? 'python' : name === 'nodejs' ? 'node' : name;
  // `--`: perl and node would read a value starting with `-` as their own option.
  const dashes = lang === 'python' ? '' : ' --';
  return `in the program text of ${name} ${flag} is parsed as ${lang} code, where a quote in the value ends a string and the rest runs: pass it as an argument and read ${ARGV[lang] ?? 'it from the arguments'} (${name} ${flag} '…'${dashes} "\${params.X}"), or read it from the environment`;
};
const AWK_WHY =
  'in an awk program is parsed as awk code, where a quote in the value ends a string and the rest runs: pass it as a variable: awk -v v="${params.X}" \'{ print v }\'';
const EVAL_WHY =
  'after eval is parsed again as shell code, where it runs: run the command directly (cmd "${params.X}"), not through eval';
const SSH_WHY =
  'in a command run by ssh is parsed again by the remote shell, where it runs as code; quoting it here does not help (printf %q quotes for this bash, not for the remote login shell): a value cannot be put into a remote command. Pass it on the input instead: printf \'%s\\n\' "${params.X}" | ssh host \'IFS= read -r v; cat -- "$v"\'';
const SU_WHY =
  "in the command of su -c is parsed again by the user's shell, where it runs as code: pass it in the environment (su --whitelist-environment=NAME) or on the input, never in the -c text";
const WATCH_WHY =
  'after watch is run through sh -c, where it is parsed again as code: put the command in a script that takes the value as its argument';
const stdinWhy = (name: string): string =>
  `in the input that ${name} reads as its program (a here-document or a pipe into ${name}) runs as code: give the program the value as an argument instead (${SHELLS.test(name) ? `${name} -s -- "\${params.X}" <<'EOF' … "$1" … EOF` : `${name} - "\${params.X}" <<'EOF' … EOF, reading its arguments`})`;
const sqlWhy = (name: string): string =>
  `in SQL given to ${name} is parsed as SQL, where a quote in the value ends the string and the rest runs: ${
    name === 'psql'
      ? "pass it as a psql variable, which psql quotes itself: psql -v v=\"${params.X}\" <<'SQL' … :'v' … SQL"
      : 'use a client that binds parameters (python3 -c \'…execute("… = ?", (sys.argv[1],))\' "${params.X}")'
  } (\${partition}, \${run.id} and \${task.name} may stay: they cannot hold a quote)`;
const NAME_WHY =
  'is read by bash as a variable name, where a subscript (a[$(cmd)]) runs code: use a fixed name (read -r v, printf -v v, [[ -v v ]]) or an associative array (declare -A m; k="${params.X}"; m[$k]=…)';
const DECLARE_WHY =
  'with declare -n/-a/-A is evaluated by bash (a name reference or an array assignment), which can run code: assign it to a plain variable (v="${params.X}")';
const INT_WHY =
  'assigned to a variable declared integer (declare -i, let) would be evaluated as an arithmetic expression, which can run code: check it is a number first, or assign it to another variable';
const MAPFILE_WHY =
  'in mapfile/readarray is read by bash as a name or a callback, which can run code: use a fixed array name';

const XARGS_WHY =
  "piped into xargs -I is put into a program's text, where it runs as code: let xargs pass it as an argument instead: xargs sh -c 'cmd \"$1\"' _";

const base = (w: Word | undefined): string => (w ? w.text.replace(/^.*\//, '') : '');

/**
 * The code places of the command at i. `integers` holds the names declared integer anywhere in
 * the text (an assignment to one is arithmetic).
 */
export function commandCode(text: string, i: number, integers: Set<string>): CommandCode {
  const cw = commandWords(text, i);
  const words = cw.words;
  const places: CodePlace[] = [];
  const mark = (w: Word | undefined, why: string, sql?: boolean): void => {
    if (w) places.push({ start: w.start, end: w.end, why, ...(sql ? { sql } : {}) });
  };
  let k = 0;
  let xargsReplace = false;
  // Leading assignments and the words that run the command after them.
  for (; k < words.length; k++) {
    const w = words[k] as Word;
    const assignment = ASSIGNMENT.exec(w.text);
    if (assignment) {
      const name = assignment[0].replace(/(?:\[.*)?\+?=$/, '');
      if (integers.has(name)) mark(w, INT_WHY);
      continue;
    }
    if (!PREFIX.test(w.text)) break;
    const prefix = w.text;
    while (k + 1 < words.length) {
      const next = (words[k + 1] as Word).text;
      if (prefix === 'xargs' && /^-I|^-i|^--replace/.test(next)) xargsReplace = true;
      if (PREFIX_ARG.test(next)) k += 2;
      else if (next.startsWith('-') || (prefix === 'env' && ASSIGNMENT.test(next))) k++;
      else if (prefix === 'timeout' && /^[0-9.]+[smhd]?$/.test(next)) k++;
      else break;
    }
  }
  const name = base(words[k]);
  const args = words.slice(k + 1);
  let stdin: CommandCode['stdin'];
  const all = (why: string): void => args.forEach((w) => mark(w, why));
  if (name === 'eval') all(EVAL_WHY);
  else if (name === 'watch') all(WATCH_WHY);
  else if (name === 'ssh') {
    let j = 0;
    while (j < args.length && (args[j] as Word).text.startsWith('-'))
      j += SSH_ARG.test((args[j] as Word).text) ? 2 : 1;
    const remote = args.slice(j + 1);
    remote.forEach((w) => mark(w, SSH_WHY));
    if (j < args.length && remote.length === 0) stdin = { why: SSH_WHY };
  } else if (name === 'su' || name === 'runuser') {
    args.forEach((w, j) => {
      if (/^-[a-z]*c$|^--command$/.test(w.text)) mark(args[j + 1], SU_WHY);
      else if (w.text.startsWith('--command=')) mark(w, SU_WHY);
    });
  } else if (AWK.test(name)) {
    let j = 0;
    let file = false;
    for (; j < args.length; j++) {
      const t = (args[j] as Word).text;
      if (t === '--') {
        j++;
        break;
      }
      if (!t.startsWith('-') || t === '-') break;
      if (/^-f$|^--file$/.test(t)) file = true;
      if (/^-[fFv]$|^--(?:file|field-separator|assign)$/.test(t)) j++;
      if (/^-f./.test(t)) file = true;
    }
    if (!file) mark(args[j], AWK_WHY);
  } else if (name === 'psql' || name === 'mysql' || name === 'mariadb') {
    const flag = name === 'psql' ? /^-c$|^--command$/ : /^-e$|^--execute$/;
    const glued = name === 'psql' ? /^--command=|^-c./ : /^--execute=|^-e./;
    let reads = false;
    args.forEach((w, j) => {
      if (flag.test(w.text)) mark(args[j + 1], sqlWhy(name), true);
      else if (glued.test(w.text)) mark(w, sqlWhy(name), true);
      if (flag.test(w.text) || glued.test(w.text) || /^-f|^--file/.test(w.text)) reads = true;
    });
    if (!reads) stdin = { why: sqlWhy(name), sql: true };
  } else if (name === 'sqlite3') {
    let j = 0;
    let db = false;
    let sql = false;
    for (; j < args.length; j++) {
      const w = args[j] as Word;
      if (w.text === '-cmd') {
        mark(args[++j], sqlWhy(name), true);
      } else if (/^-(?:separator|newline|nullvalue|init)$/.test(w.text)) j++;
      else if (w.text.startsWith('-')) continue;
      else if (!db) db = true;
      else {
        mark(w, sqlWhy(name), true);
        sql = true;
      }
    }
    if (!sql) stdin = { why: sqlWhy(name), sql: true };
  } else if (name === 'test' || name === '[' || name === '[[' || name === 'printf') {
    args.forEach((w, j) => {
      if (w.text === '-v') mark(args[j + 1], NAME_WHY);
    });
  } else if (name === 'read') {
    for (let j = 0; j < args.length; j++) {
      const t = (args[j] as Word).text;
      if (/^-[a-zA-Z]*[dinNptu]$/.test(t)) j++;
      else if (t === '-a') mark(args[++j], NAME_WHY);
      else if (!t.startsWith('-')) mark(args[j], NAME_WHY);
    }
  } else if (name === 'mapfile' || name === 'readarray') {
    for (let j = 0; j < args.length; j++) {
      if (/^-d$/.test((args[j] as Word).text)) j++;
      else mark(args[j], MAPFILE_WHY);
    }
  } else if (name === 'unset') all(NAME_WHY);
  else if (name === 'getopts') args.slice(1).forEach((w) => mark(w, NAME_WHY));
  else if (/^(?:declare|typeset|local|export|readonly)$/.test(name)) {
    let evaluated = false;
    for (const w of args) {
      if (/^[-+]/.test(w.text)) {
        if (/[naAi]/.test(w.text)) evaluated = true;
        continue;
      }
      if (evaluated) mark(w, DECLARE_WHY);
      // The name part, before the first `=`: a `${…}` there names the variable.
      else places.push({ start: w.start, end: w.eq < 0 ? w.end : w.eq, why: NAME_WHY });
    }
  }
  // Shells and interpreters also run under other commands (xargs, find -exec, docker exec…).
  for (let j = k; j < words.length; j++) {
    const found = interpreter(words, j, mark);
    if (found) {
      stdin ??= found.stdin;
      // `xargs -I{} sh -c "… {} …"` puts each input line into the program text.
      if (found.code && xargsReplace) stdin = { why: XARGS_WHY };
      break;
    }
  }
  for (const w of cw.hereStrings) if (stdin) mark(w, stdin.why, stdin.sql);
  return {
    end: cw.end,
    places,
    ...(stdin ? { stdin } : {}),
    pipe: cw.pipe,
    name,
    hereStrings: cw.hereStrings,
  };
}

/** A shell or interpreter at words[j]: marks its program text; says if it reads it from input. */
function interpreter(
  words: Word[],
  j: number,
  mark: (w: Word | undefined, why: string) => void,
): { stdin?: { why: string }; code?: boolean } | undefined {
  const name = base(words[j]);
  const shell = SHELLS.test(name);
  const python = PYTHON.test(name);
  if (!shell && !python && !SCRIPTING.test(name)) return undefined;
  const codeFlag = shell
    ? /^-[a-zA-Z]*c[a-zA-Z]*$/
    : python
      ? /^-[a-zA-Z]*c$/
      : name === 'php'
        ? /^-r$/
        : name === 'node' || name === 'nodejs'
          ? /^-p?e$|^-p$|^--eval$|^--print$/
          : /^-[a-zA-Z]*[eE]$/;
  let sawCode = false;
  let fromInput = false;
  let n = j + 1;
  for (; n < words.length; n++) {
    const t = (words[n] as Word).text;
    if (t === '--' || t === '-') {
      if (t === '-') fromInput = true;
      break;
    }
    if (!/^[-+]/.test(t)) break;
    if (codeFlag.test(t)) {
      if (!shell) mark(words[n + 1], interpreterWhy(name, t));
      if (!shell) n++;
      sawCode = true;
    } else if (shell && /^[-+][oO]$/.test(t)) n++;
    else if (shell && /^-[a-zA-Z]*s/.test(t)) fromInput = true;
    else if (python && /^-[WXm]$/.test(t)) {
      if (t === '-m') return {};
      n++;
    }
  }
  if (shell && sawCode) {
    mark(words[words[n]?.text === '--' ? n + 1 : n], shellWhy(name));
    return { code: true };
  }
  if (sawCode) return { code: true };
  if (fromInput || n >= words.length) return { stdin: { why: stdinWhy(name) } };
  return {};
}
