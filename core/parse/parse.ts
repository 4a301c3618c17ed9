/** `parsePipeline`: text → model + source ranges + schema findings. Never throws. */
import { type Document, isMap, isScalar, isSeq, parseDocument, type Pair, visit } from 'yaml';
import { parseDuration } from '../durations';
import {
  emptyPipeline,
  type FieldRange,
  type FileTrigger,
  type Finding,
  type Notify,
  type NotifyEvent,
  type Pipeline,
  type Span,
  TASK_NAME_PATTERN,
  type Task,
  type TaskSettings,
} from '../model';
import {
  COMMAND_KEYS,
  DEFAULTS_KEYS,
  EMAIL_KEYS,
  NOTIFY_KEYS,
  PIPELINE_KEYS,
  type PipelineKey,
  TASK_KEYS,
  type TaskKey,
  TRIGGER_KEYS,
} from '../schema/spec';
import { flowItemProblems } from './flowItems';
import { MAX_DEPTH, tooDeep } from './depth';
import { type AnyNode, keyName, lastValueEnd, Reader, spanOf } from './nodes';
import { readTargets } from './targets';
import { checkReferences } from './references';
import { readPartitions } from '../partitions/read';
import { collectPartitionRefs } from '../partitions/refs';

export interface ParseResult {
  pipeline: Pipeline;
  findings: Finding[];
  /** False when the YAML itself does not parse; the model then holds what could be read. */
  syntaxOk: boolean;
  /** The YAML document (absent only if the parser itself failed). */
  doc?: Document.Parsed;
}

export function parsePipeline(text: string): ParseResult {
  try {
    return parseUnsafe(text);
  } catch (e) {
    // The parser is written not to throw; this is the last guard for the language server.
    const message = `could not read the pipeline: ${e instanceof Error ? e.message : String(e)}`;
    return {
      pipeline: emptyPipeline(),
      findings: [{ code: 'yaml-syntax', severity: 'error', message, range: { start: 0, end: 0 } }],
      syntaxOk: false,
    };
  }
}

/** The yaml package's options for every parse (full or of one task's block). */
export const YAML_OPTIONS = {
  uniqueKeys: false, // checked in linear time by Reader.entries
  prettyErrors: false,
  merge: true,
  strict: true,
} as const;

function parseUnsafe(text: string): ParseResult {
  const deep = tooDeep(text);
  if (deep !== undefined)
    return { pipeline: emptyPipeline(), findings: [tooDeepFinding(text, deep)], syntaxOk: false };
  const doc = parseDocument(text, YAML_OPTIONS);
  const r = new Reader(doc, text);
  const pipeline = emptyPipeline();
  const syntaxOk = doc.errors.length === 0;
  if (!syntaxOk) r.findings.push(...syntaxFindings(text, doc.errors, doc));
  const root = r.deref(doc.contents as AnyNode);
  if (isMap(root)) readPipeline(r, root, pipeline);
  else if (syntaxOk) {
    const empty = root == null || (isScalar(root) && root.value === null);
    r.schemaError(
      root,
      empty
        ? 'the pipeline is empty: it needs `pipeline:` and `tasks:`'
        : 'a pipeline must be a mapping with `pipeline:` and `tasks:`',
    );
  }
  // Interpolation references depend on the text alone, so they belong to parsing (and its cache).
  if (syntaxOk) r.findings.push(...checkReferences(doc, text, pipeline));
  return {
    pipeline,
    findings: syntaxOk ? r.findings : r.findings.filter((f) => f.code === 'yaml-syntax'),
    syntaxOk,
    doc,
  };
}

/** Nesting deeper than MAX_DEPTH, marked from where it passes the limit to the end of that line. */
export function tooDeepFinding(text: string, at: number): Finding {
  const nl = text.slice(at).search(/\r?\n/);
  return {
    code: 'yaml-syntax',
    severity: 'error',
    message: `the YAML is nested too deeply to read (more than ${MAX_DEPTH} levels): a pipeline needs only a few`,
    range: { start: at, end: nl === -1 ? text.length : at + nl },
  };
}

/** yaml's messages for tokens it no longer expects (what follows a broken flow collection). */
const CASCADE = /^Unexpected .*(token in YAML stream|at node end)/;

/** The yaml package's message for text nested deeper than its recursive reader can follow. */
const TOO_DEEP = /Maximum call stack size exceeded/;

export function syntaxFindings(
  text: string,
  errors: readonly { message: string; pos: [number, number]; code?: string }[],
  doc?: Document.Parsed,
): Finding[] {
  // Nesting too deep for the reader makes hundreds of errors, each "Maximum call stack size
  // exceeded" or a consequence of it: one finding says what happened.
  const deep = errors.find((e) => e.code === 'RESOURCE_EXHAUSTION' || TOO_DEEP.test(e.message));
  if (deep) {
    // Where the stack ran out depends on the process: mark the outermost node's first line.
    const start = Math.max(0, text.search(/[^\s#\uFEFF]/) === -1 ? 0 : firstContent(text));
    const nl = text.slice(start).search(/\r?\n/);
    return [
      {
        code: 'yaml-syntax',
        severity: 'error',
        message: 'the YAML is nested too deeply to read: a pipeline needs only a few levels',
        range: { start, end: nl === -1 ? text.length : start + nl },
      },
    ];
  }
  const { findings: flow, spans } = flowItemProblems(text);
  const firstFlow = flow[0]?.range.start;
  const lineOf = (offset: number): number => {
    let n = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
    return n;
  };
  const flowLines = new Set(flow.map((f) => lineOf(f.range.start)));
  const out: Finding[] = [...flow];
  for (const e of errors) {
    // Errors that follow from an unquoted item: on its line, or inside its collection.
    if (flowLines.has(lineOf(e.pos[0]))) continue;
    if (spans.some((s) => e.pos[0] >= s.start && e.pos[0] <= s.end)) continue;
    // After a `${` read as a flow map, yaml reads every later token as unexpected, to the end.
    if (firstFlow !== undefined && e.pos[0] > firstFlow && CASCADE.test(e.message)) continue;
    const start = Math.min(e.pos[0], text.length);
    out.push(
      placed(text, e, doc) ?? {
        code: 'yaml-syntax',
        severity: 'error',
        message: e.message.split('\n')[0] ?? 'YAML syntax error',
        range: { start, end: Math.min(Math.max(start, e.pos[1]), text.length) },
      },
    );
  }
  return out;
}

/** Offset of the first character that is not white space, a BOM or part of a comment line. */
function firstContent(text: string): number {
  const m = /^(?:[ \t\r\n\uFEFF]|#[^\n]*)*/.exec(text);
  return m ? m[0].length : 0;
}

/**
 * Errors the yaml package places far from their cause, or words in its own API's terms: an
 * unclosed quote is marked where it opens (yaml marks the end of the file), a second document
 * at its `---` line.
 */
function placed(
  text: string,
  e: { message: string; pos: [number, number]; code?: string },
  doc: Document.Parsed | undefined,
): Finding | undefined {
  const finding = (message: string, start: number, end: number): Finding => ({
    code: 'yaml-syntax',
    severity: 'error',
    message,
    range: { start, end },
  });
  const lineEnd = (from: number): number => {
    const nl = text.slice(from).search(/\r?\n/);
    return nl === -1 ? text.length : from + nl;
  };
  if (e.code === 'MULTIPLE_DOCS') {
    const start = Math.min(e.pos[0], text.length);
    const end = text.startsWith('---', start) ? start + 3 : lineEnd(start);
    return finding(
      'a pipeline file holds one YAML document: remove this `---` and what follows it, or move that to a file of its own',
      start,
      end,
    );
  }
  if (e.code === 'TAB_AS_INDENT') {
    // Two spaces a tab: the indentation the format's examples use.
    const start = Math.min(e.pos[0], text.length);
    const end = Math.min(Math.max(start, e.pos[1]), text.length);
    const indent = text.slice(start, end);
    if (!/^[\t ]+$/.test(indent)) return undefined;
    const range = { start, end };
    return {
      ...finding('YAML is indented with spaces, not tabs', start, end),
      data: {
        kind: 'quote-item',
        fix: { range, newText: indent.replace(/\t/g, '  ') },
        what: 'indent',
      },
    };
  }
  if (
    e.code === 'MISSING_CHAR' &&
    /^Implicit map keys need to be followed by map values/.test(e.message)
  ) {
    const start = Math.min(e.pos[0], text.length);
    const end = Math.min(Math.max(start, e.pos[1]), text.length);
    const key = text.slice(start, end);
    if (key.trim() === '' || key.includes('\n')) return undefined;
    return finding(`'${key}' needs a ':' after it (key: value)`, start, end);
  }
  if (e.code === 'BLOCK_AS_IMPLICIT_KEY') {
    // `run: echo status: ok`: the `: ` inside a plain value reads as a key.
    const start = Math.min(e.pos[0], text.length);
    const end = lineEnd(start);
    const comment = text.slice(start, end).search(/\s+#/);
    const value = text.slice(start, comment === -1 ? end : start + comment).trimEnd();
    if (value === '' || /^["'|>]/.test(value)) return undefined;
    const quoted = value.includes("'") ? JSON.stringify(value) : `'${value}'`;
    const range = { start, end: start + value.length };
    return {
      ...finding(
        `this value holds ': ', which YAML reads as a key: quote it (${quoted}) or write it as a block (run: |)`,
        range.start,
        range.end,
      ),
      data: { kind: 'quote-item', fix: { range, newText: quoted }, what: 'value' },
    };
  }
  const flow = /^Flow (sequence|map) in block collection .* end with a ([\]}])/.exec(e.message);
  if (flow && doc) {
    let open: number | undefined;
    const visitor = (
      _k: unknown,
      n: { flow?: boolean; range?: [number, number, number] | null },
    ) => {
      if (n.flow && n.range && n.range[1] === e.pos[0] && (open === undefined || n.range[0] < open))
        open = n.range[0];
    };
    visit(doc, { Seq: visitor, Map: visitor });
    if (open === undefined) return undefined;
    const what = flow[1] === 'sequence' ? '[list]' : '{map}';
    return finding(
      `this ${what} has no closing ${flow[2]}: close it on this line, or write it in block style`,
      open,
      lineEnd(open),
    );
  }
  if (e.code === 'MISSING_CHAR' && /quote/.test(e.message) && doc) {
    const quote = e.message.includes("'") ? "'" : '"';
    let open: number | undefined;
    visit(doc, {
      Scalar(_k, n) {
        if (n.range && n.range[1] === e.pos[0] && text[n.range[0]] === quote) open = n.range[0];
      },
    });
    if (open === undefined) return undefined;
    return finding(
      `this ${quote}quoted${quote} value has no closing ${quote}: end it on this line (as written it runs to the end of the file)`,
      open,
      lineEnd(open),
    );
  }
  return undefined;
}

type PipelineReaders = Record<PipelineKey, (r: Reader, value: AnyNode, p: Pipeline) => void>;

const PIPELINE_READERS: PipelineReaders = {
  pipeline: (r, v, p) => void (p.name = r.string(v, 'pipeline')),
  description: (r, v, p) => void (p.description = r.string(v, 'description')),
  params: (r, v, p) => {
    const { values, keys } = r.stringMap(v, 'params');
    p.params = values;
    p.paramRanges = keys;
  },
  env: (r, v, p) => void (p.env = r.stringMap(v, 'env').values),
  defaults: (r, v, p) => {
    const d: TaskSettings = {};
    for (const pair of r.entries(v, DEFAULTS_KEYS, 'defaults')) readSetting(r, pair, d, 'defaults');
    p.defaults = d;
  },
  schedule: (r, v, p) => void (p.schedule = r.stringList(v, 'schedule')),
  catchup: (r, v, p) =>
    void (p.catchup = r.oneOf(v, 'catchup', ['none', 'latest', 'all'] as const) ?? 'none'),
  partitions: (r, v, p) => {
    const spec = readPartitions(r, v);
    if (spec) p.partitions = spec;
  },
  on: (r, v, p) => void (p.triggers = readTriggers(r, v)),
  notify: (r, v, p) => void (p.notify = readNotify(r, v)),
  sources: (r, v, p) => void (p.sources = readTargets(r, v, 'sources')),
  resources: (r, v, p) => void (p.resources = readPools(r, v, 'resources')),
  tasks: (r, v, p) => readTasks(r, v, p),
};

function readPipeline(r: Reader, root: AnyNode, p: Pipeline): void {
  for (const pair of r.entries(root, PIPELINE_KEYS, 'the pipeline')) {
    const key = keyName(pair) as PipelineKey | undefined;
    if (key === undefined || !Object.hasOwn(PIPELINE_READERS, key)) continue;
    p.fields[key] = fieldRange(pair);
    PIPELINE_READERS[key](r, pair.value as AnyNode, p);
  }
  // On the mapping's first key (never on a comment or blank line above it).
  const first = isMap(root) ? (root.items[0]?.key as AnyNode) : undefined;
  const at = first?.range ? spanOf(first) : firstLine(r.text);
  if (p.fields.pipeline === undefined)
    r.report('schema', 'error', "missing required key 'pipeline' (the pipeline's name)", at);
  if (p.fields.tasks === undefined) r.report('schema', 'error', "missing required key 'tasks'", at);
}

function firstLine(text: string): { start: number; end: number } {
  const nl = text.search(/\r?\n/);
  return { start: 0, end: nl === -1 ? text.length : nl };
}

function fieldRange(pair: Pair): FieldRange {
  const key = spanOf(pair.key as AnyNode);
  return { key, value: spanOf(pair.value as AnyNode, { start: key.end, end: key.end }) };
}

function readSetting(r: Reader, pair: Pair, into: TaskSettings, where: string): void {
  const key = keyName(pair) as keyof typeof DEFAULTS_KEYS | undefined;
  const v = pair.value as AnyNode;
  switch (key) {
    case undefined:
      return;
    case 'retries': {
      const n = r.integer(v, `${where}.retries`, 0);
      if (n !== undefined) into.retries = n;
      return;
    }
    case 'retry_delay':
    case 'timeout': {
      const ms = readDuration(r, v, `${where}.${key}`);
      if (ms !== undefined) into[key === 'timeout' ? 'timeoutMs' : 'retryDelayMs'] = ms;
      return;
    }
    case 'executor': {
      const e = r.oneOf(v, `${where}.executor`, ['local', 'slurm'] as const);
      if (e) into.executor = e;
      return;
    }
  }
}

function readDuration(r: Reader, node: AnyNode, what: string): number | undefined {
  const n = r.deref(node);
  const raw = isScalar(n) ? n.value : undefined;
  const ms = parseDuration(raw);
  if (ms === undefined) {
    const suggestion = durationInWords(raw);
    const hint = suggestion
      ? `: did you mean '${suggestion}'?`
      : ' (use e.g. 500ms, 5s, 10m, 2h, 1d)';
    const said = raw == null ? `${what} is empty` : `${what}: '${String(raw)}' is not a duration`;
    r.findings.push({
      code: 'invalid-duration',
      severity: 'error',
      message: `${said}${hint}`,
      range: r.visibleSpan(node),
      ...(suggestion ? { data: { kind: 'invalid-duration', suggestion } } : {}),
    });
  }
  return ms;
}

const UNIT_WORDS: [RegExp, string][] = [
  [/^(?:ms|msecs?|millis|milliseconds?)$/, 'ms'],
  [/^(?:s|secs?|seconds?)$/, 's'],
  [/^(?:m|mins?|minutes?)$/, 'm'],
  [/^(?:h|hrs?|hours?)$/, 'h'],
  [/^(?:d|days?)$/, 'd'],
];

/** `30 minutes`, `5 sec`, `2 Hours` → `30m`, `5s`, `2h` (the quick fix of invalid-duration). */
function durationInWords(raw: unknown): string | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(typeof raw === 'string' ? raw : '');
  const unit = m && UNIT_WORDS.find(([re]) => re.test((m[2] ?? '').toLowerCase()))?.[1];
  return m && unit ? `${m[1]}${unit}` : undefined;
}

function readPools(
  r: Reader,
  node: AnyNode,
  what: string,
  ranges?: Record<string, FieldRange>,
): Record<string, number> {
  const out: Record<string, number> = {};
  if (!isMap(r.deref(node))) {
    r.schemaError(node, `${what} must map pool names to whole numbers, e.g. {db: 1}`);
    return out;
  }
  for (const pair of r.entries(node, undefined, what)) {
    const name = keyName(pair);
    const n =
      name === undefined ? undefined : r.integer(pair.value as AnyNode, `${what}.${name}`, 1);
    if (name !== undefined && n !== undefined) {
      out[name] = n;
      if (ranges) ranges[name] = fieldRange(pair);
    }
  }
  return out;
}

function readTriggers(r: Reader, node: AnyNode): FileTrigger[] {
  const n = r.deref(node);
  const items = isSeq(n) ? n.items : isMap(n) ? [n] : undefined;
  if (!items) {
    r.schemaError(node, 'on must be a list of triggers such as `- files: "incoming/*.csv"`');
    return [];
  }
  const out: FileTrigger[] = [];
  for (const item of items) {
    let files: string | undefined;
    let filesRange: Span | undefined;
    let existing: FileTrigger['existing'] = 'ignore';
    if (!isMap(r.deref(item as AnyNode))) {
      r.schemaError(
        item as AnyNode,
        'each trigger must be an object such as `files: "incoming/*.csv"`',
      );
      continue;
    }
    for (const pair of r.entries(item as AnyNode, TRIGGER_KEYS, 'a trigger')) {
      const k = keyName(pair);
      if (k === 'files') {
        files = r.string(pair.value as AnyNode, 'on.files');
        filesRange = spanOf(pair.value as AnyNode);
      }
      if (k === 'existing')
        existing =
          r.oneOf(pair.value as AnyNode, 'on.existing', ['ignore', 'process'] as const) ?? 'ignore';
    }
    if (files === undefined) r.schemaError(item as AnyNode, "a trigger needs 'files'");
    else out.push({ files, existing, range: spanOf(item as AnyNode), filesRange });
  }
  return out;
}

function readEvents(r: Reader, node: AnyNode, what: string): NotifyEvent[] {
  return r
    .stringList(node, what)
    .filter((e) => {
      const ok = ['failure', 'success', 'retry'].includes(e.value);
      if (!ok)
        r.report(
          'schema',
          'error',
          `${what}: '${e.value}' is not one of failure, success, retry`,
          e.range,
        );
      return ok;
    })
    .map((e) => e.value as NotifyEvent);
}

function readNotify(r: Reader, node: AnyNode): Notify {
  const out: Notify = {};
  for (const pair of r.entries(node, NOTIFY_KEYS, 'notify')) {
    const k = keyName(pair);
    if (k === 'email') {
      const email: NonNullable<Notify['email']> = { to: [], on: ['failure'] };
      for (const p of r.entries(pair.value as AnyNode, EMAIL_KEYS, 'notify.email')) {
        const f = keyName(p);
        const v = p.value as AnyNode;
        if (f === 'to') email.to = r.stringList(v, 'notify.email.to').map((x) => x.value);
        if (f === 'on') email.on = readEvents(r, v, 'notify.email.on');
        if (f === 'subject') email.subject = r.string(v, 'notify.email.subject');
        if (f === 'digest') email.digestMs = readDuration(r, v, 'notify.email.digest');
      }
      out.email = email;
    } else if (k === 'command') {
      const command: NonNullable<Notify['command']> = { run: '', on: ['failure'] };
      for (const p of r.entries(pair.value as AnyNode, COMMAND_KEYS, 'notify.command')) {
        const f = keyName(p);
        if (f === 'run') command.run = r.string(p.value as AnyNode, 'notify.command.run') ?? '';
        if (f === 'on') command.on = readEvents(r, p.value as AnyNode, 'notify.command.on');
      }
      out.command = command;
    }
  }
  return out;
}

export function readTasks(r: Reader, node: AnyNode, p: Pipeline): void {
  const n = r.deref(node);
  if (isScalar(n) && n.value === null) return;
  if (!isMap(n)) {
    r.schemaError(node, 'tasks must be a mapping of task names to tasks');
    return;
  }
  for (const pair of r.entries(n, undefined, 'tasks')) {
    const name = keyName(pair);
    const keyRange = spanOf(pair.key as AnyNode);
    if (name === undefined || !TASK_NAME_PATTERN.test(name)) {
      r.report('schema', 'error', badNameMessage(r, pair, name), keyRange);
      continue;
    }
    if (p.taskIndex.has(name)) continue; // reported as a duplicate key by YAML
    const task = readTask(r, name, pair);
    p.tasks.push(task);
    p.taskIndex.set(name, task);
  }
}

/** Why a task key is not a name, in terms of what was written (`true:` is a boolean to YAML). */
function badNameMessage(r: Reader, pair: Pair, name: string | undefined): string {
  const key = pair.key as AnyNode;
  const written = key?.range ? r.text.slice(key.range[0], key.range[1]) : (name ?? '');
  if (name === undefined && isScalar(key) && typeof key.value === 'boolean')
    return `'${written}' is read by YAML as a boolean, not a name: quote it ("${written}") or choose another name`;
  if (name === undefined && (key == null || (isScalar(key) && key.value === null)))
    return `'${written}' is read by YAML as null, not a name: give the task a name`;
  return `'${name ?? written}' is not a valid task name (letters, digits, _ . -, starting with a letter or _)`;
}

type TaskReaders = Record<TaskKey, (r: Reader, v: AnyNode, t: Task, pair: Pair) => void>;

const TASK_READERS: TaskReaders = {
  run: (r, v, t) => void (t.run = r.string(v, `tasks.${t.name}.run`)),
  needs: (r, v, t) => void (t.needs = r.stringList(v, `tasks.${t.name}.needs`)),
  inputs: (r, v, t) => void (t.inputs = readTargets(r, v, `tasks.${t.name}.inputs`)),
  outputs: (r, v, t) => void (t.outputs = readTargets(r, v, `tasks.${t.name}.outputs`)),
  description: (r, v, t) => void (t.description = r.string(v, `tasks.${t.name}.description`)),
  env: (r, v, t) => void (t.env = r.stringMap(v, `tasks.${t.name}.env`).values),
  cwd: (r, v, t) => void (t.cwd = r.string(v, `tasks.${t.name}.cwd`)),
  resources: (r, v, t) => {
    const ranges: Record<string, FieldRange> = {};
    t.resources = readPools(r, v, `tasks.${t.name}.resources`, ranges);
    if (Object.keys(ranges).length > 0) t.poolRanges = ranges;
  },
  retries: (r, _v, t, pair) => readSetting(r, pair, t, `tasks.${t.name}`),
  retry_delay: (r, _v, t, pair) => readSetting(r, pair, t, `tasks.${t.name}`),
  timeout: (r, _v, t, pair) => readSetting(r, pair, t, `tasks.${t.name}`),
  executor: (r, _v, t, pair) => readSetting(r, pair, t, `tasks.${t.name}`),
};

/** From the task's value to its last value: never the comments and blank lines before the next task. */
function taskRange(text: string, keyRange: Span, value: AnyNode): Span {
  const span = spanOf(value, { start: keyRange.end, end: keyRange.end });
  const end = lastValueEnd(value, text);
  return end === undefined ? span : { start: span.start, end: Math.max(span.start, end) };
}

function readTask(r: Reader, name: string, pair: Pair): Task {
  const keyRange = spanOf(pair.key as AnyNode);
  const value = pair.value as AnyNode;
  const task: Task = {
    name,
    keyRange,
    range: taskRange(r.text, keyRange, value),
    needs: [],
    inputs: [],
    outputs: [],
    env: {},
    resources: {},
    fields: {},
  };
  const body = r.deref(value);
  if (!isMap(body)) {
    const empty = body == null || (isScalar(body) && body.value === null);
    r.report(
      'schema',
      'error',
      empty
        ? `task '${name}' is missing required key 'run'`
        : `task '${name}' must be a mapping with at least 'run'`,
      empty ? keyRange : spanOf(value),
    );
    return task;
  }
  for (const field of r.entries(body, TASK_KEYS, `task '${name}'`)) {
    const key = keyName(field) as TaskKey | undefined;
    if (key === undefined || !Object.hasOwn(TASK_READERS, key)) continue;
    const f = fieldRange(field);
    // Like the task, a field's value ends at its last value (both parses then agree).
    const end = lastValueEnd(field.value as AnyNode, r.text);
    task.fields[key] =
      end === undefined
        ? f
        : { key: f.key, value: { ...f.value, end: Math.max(f.value.start, end) } };
    TASK_READERS[key](r, field.value as AnyNode, task, field);
  }
  if (task.fields.run === undefined)
    r.report('schema', 'error', `task '${name}' is missing required key 'run'`, keyRange);
  // `run: ""` runs nothing and succeeds: as good as a missing command, unless the task only
  // groups its `needs` (Luigi's WrapperTask: `tributary run FILE all` runs what it needs).
  else if (task.run !== undefined && task.run.trim() === '' && task.needs.length === 0)
    r.report(
      'schema',
      'error',
      `tasks.${name}.run is empty: write the command the task runs`,
      task.fields.run.value,
    );
  const refs = collectPartitionRefs(value, r.text, keyRange.start);
  if (refs.length > 0) task.partitionRefs = refs;
  return task;
}
