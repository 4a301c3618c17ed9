/**
 * Incremental parsing for the language server: a large pipeline is cut into its head (every
 * top-level key before `tasks:`) and one block per task; each block is parsed on its own and
 * cached by its text, so an edit re-parses one block, not the whole file. For valid YAML the
 * result equals `parsePipeline` (a test compares them on every fixture and on fuzzed texts); a
 * syntax error is reported within its task's block. Whether the blocks are independent is read
 * from each block's YAML tokens (the `yaml` Lexer), so `'0 0 * * *'`, `a && b` or `cat *.csv`
 * do not matter; the full parse is used only when the cut does not hold: an alias whose anchor
 * is outside its block (merges included), a block that ends inside an open quote or flow
 * collection (a syntax error that spans blocks), flow-style `tasks:`, a top-level key after
 * the tasks, or a duplicate task name.
 */
import { CST, isMap, isScalar, Lexer, parseDocument } from 'yaml';
import { emptyPipeline, type FieldRange, type Finding, type Span, type Task } from '../model';
import { collectReferences, type FoundReference, judgeReferences } from './references';
import { type AnyNode, Reader } from './nodes';
import { tooDeep } from './depth';
import { parsePipeline, type ParseResult, readTasks, syntaxFindings, YAML_OPTIONS } from './parse';

interface Block {
  /** False when the block's YAML does not parse; its findings are then its syntax errors. */
  ok: boolean;
  /** False when the block's tokens reach outside it (see `selfContained`): use the full parse. */
  selfContained: boolean;
  task?: Task;
  findings: Finding[];
  refs: FoundReference[];
  /** The block's root mapping, relative to the block. */
  map: Span;
}

// A comment needs white space before its `#`: `tasks:#` is not the tasks key (a plain scalar).
const TASKS_LINE = /^tasks:(?:[ \t]+#.*|[ \t]*)\r?$/gm;

/**
 * A block's span moved to the file. A block starts with its indentation, so no node in it starts
 * at 0: {0, 0} is `spanOf`'s "no node" (e.g. the absent value in `{a}`) and stays where the full
 * parse puts it.
 */
const sh = (s: Span, d: number): Span =>
  s.start === 0 && s.end === 0 ? s : { start: s.start + d, end: s.end + d };

function shiftTask(t: Task, d: number): Task {
  const fields: Task['fields'] = shiftFields(t.fields, d);
  return {
    ...t,
    keyRange: sh(t.keyRange, d),
    range: sh(t.range, d),
    needs: t.needs.map((n) => ({ value: n.value, range: sh(n.range, d) })),
    inputs: t.inputs.map((x) => ({ ...x, range: sh(x.range, d) })),
    outputs: t.outputs.map((x) => ({ ...x, range: sh(x.range, d) })),
    fields,
    ...(t.poolRanges ? { poolRanges: shiftFields(t.poolRanges, d) } : {}),
  };
}

function shiftFields(
  from: Record<string, FieldRange | undefined>,
  d: number,
): Record<string, FieldRange> {
  const out: Record<string, FieldRange> = {};
  for (const [k, f] of Object.entries(from))
    if (f) out[k] = { key: sh(f.key, d), value: sh(f.value, d) };
  return out;
}

function shiftFinding(f: Finding, d: number): Finding {
  return {
    ...f,
    range: sh(f.range, d),
    ...(f.related ? { related: f.related.map((r) => ({ ...r, range: sh(r.range, d) })) } : {}),
    ...(f.data?.kind === 'quote-item'
      ? { data: { ...f.data, fix: { ...f.data.fix, range: sh(f.data.fix.range, d) } } }
      : {}),
  };
}

/** Whether the character at `i` is one that `trimStart` removes (as the cut always read lines). */
function isSpace(c: number, text: string, i: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  return c > 127 && /\s/.test(text[i] ?? '');
}

/** Start offsets of each task block in the tasks section, or undefined if the shape is unusual. */
function taskBlocks(text: string, from: number): number[] | undefined {
  // Read with charCodeAt, not by slicing each line: this runs over the whole file per keystroke.
  const starts: number[] = [];
  let indent = -1;
  for (let at = from; at < text.length;) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl + 1;
    let i = at;
    let tab = false;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 9) tab = true;
      else if (!isSpace(c, text, i)) break;
    }
    // Blank (white space only) or a comment: not a line of its own for the cut.
    const blank = i === end || text.charCodeAt(i) === 35; /* # */
    if (!blank) {
      const lead = i - at;
      if (lead === 0 || tab) return undefined; // another top-level key
      if (indent === -1) indent = lead;
      if (lead < indent) return undefined;
      if (lead === indent) {
        const c = text.charCodeAt(i);
        if (c === 45 /* - */ || c === 123 /* { */ || c === 91 /* [ */) return undefined;
        starts.push(at);
      }
    }
    at = end;
  }
  return starts.length > 0 ? starts : undefined;
}

/** A block where it sits in one version of the text: its task, findings and references moved there. */
interface Placed {
  key: string;
  block: Block;
  start: number;
  end: number;
  task?: Task;
  findings: Finding[];
}

/** What the previous version left: its text, head and placed blocks, to reuse around an edit. */
interface Previous {
  text: string;
  headText: string;
  head: ParseResult;
  byStart: Map<number, Placed>;
}

/** Length of the common prefix of two strings (compared natively, 1 KB at a time). */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i + 1024 <= n && a.slice(i, i + 1024) === b.slice(i, i + 1024)) i += 1024;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common suffix, at most `max` characters. */
function commonSuffix(a: string, b: string, max: number): number {
  let i = 0;
  while (
    i + 1024 <= max &&
    a.slice(a.length - i - 1024, a.length - i) === b.slice(b.length - i - 1024, b.length - i)
  )
    i += 1024;
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

function place(
  key: string,
  block: Block,
  start: number,
  end: number,
  params: Record<string, string>,
  rangeless = false,
  declared: Record<string, unknown> = params,
): Placed {
  const findings = block.findings.map((f) => shiftFinding(f, start));
  for (const ref of block.refs)
    findings.push(...judgeReferences([{ ...ref, range: sh(ref.range, start) }], params, declared));
  const task = block.task && (rangeless ? withoutRanges(block.task) : shiftTask(block.task, start));
  return { key, block, start, end, ...(task ? { task } : {}), findings };
}

const NOWHERE: Span = { start: 0, end: 0 };

/** A block's own task (parsed for one placing only) with its ranges taken out in place. */
function withoutRanges(t: Task): Task {
  t.keyRange = NOWHERE;
  t.range = NOWHERE;
  t.fields = {};
  delete t.poolRanges;
  for (const n of t.needs) n.range = NOWHERE;
  for (const x of t.inputs) (x as { range: Span }).range = NOWHERE;
  for (const x of t.outputs) (x as { range: Span }).range = NOWHERE;
  return t;
}

/** The same placed block, `d` characters further on. */
function move(old: Placed, d: number): Placed {
  return {
    ...old,
    start: old.start + d,
    end: old.end + d,
    ...(old.task ? { task: shiftTask(old.task, d) } : {}),
    findings: old.findings.map((f) => shiftFinding(f, d)),
  };
}

/** Moves one span by `d` in place; {0, 0} ("no node") stays, as `sh` keeps it. */
function shiftSpan(s: Span, d: number): void {
  if (s.start === 0 && s.end === 0) return;
  s.start += d;
  s.end += d;
}

/**
 * `move` without copying the task: its spans are moved in place. Every span of a placed task is
 * its own object (made by `shiftTask` in `place`), so each moves exactly once; the task keeps
 * its identity, which also lets the validation cache keep its graph node and edges.
 */
function moveInPlace(old: Placed, d: number): Placed {
  const t = old.task;
  if (t) {
    for (const f of [...Object.values(t.fields), ...Object.values(t.poolRanges ?? {})]) {
      if (!f) continue;
      shiftSpan(f.key, d);
      shiftSpan(f.value, d);
    }
    shiftSpan(t.keyRange, d);
    shiftSpan(t.range, d);
    for (const n of t.needs) shiftSpan(n.range, d);
    for (const x of t.inputs) shiftSpan(x.range, d);
    for (const x of t.outputs) shiftSpan(x.range, d);
  }
  old.start += d;
  old.end += d;
  if (old.findings.length > 0) old.findings = old.findings.map((f) => shiftFinding(f, d));
  return old;
}

export class IncrementalParser {
  private blocks = new Map<string, Block>();
  private previous: Previous | undefined;
  /** How the work was done, for tests and benchmarks. */
  readonly stats = { fullParses: 0, blockParses: 0 };

  /**
   * `inPlace`: tasks after an edit keep their objects and have their ranges moved in place, so
   * a result's ranges hold only until the next `parse` (the language server, which reads each
   * version before it parses the next: no copy of ~half the tasks per keystroke). Without it
   * every result stays as it was returned. `once`: the parser sees one text only (the runner's
   * first parse of a large file): no block is kept for a next version, so each block's own parse
   * is garbage as soon as its task is placed (~20 MB less live heap while 10,000 blocks parse).
   * `ranges: false` (with `once`): tasks come without source ranges, as the runner's parse cache
   * gives them (core/parse/snapshot.ts); findings keep theirs.
   */
  constructor(
    private readonly options: { inPlace?: boolean; once?: boolean; ranges?: boolean } = {},
  ) {}

  parse(text: string): ParseResult {
    const fast = this.tryBlocks(text);
    if (fast) return fast;
    this.stats.fullParses++;
    this.previous = undefined;
    return parsePipeline(text);
  }

  private tryBlocks(text: string): ParseResult | undefined {
    const once = this.options.once === true;
    const lines = [...text.matchAll(TASKS_LINE)];
    if (lines.length !== 1) return undefined;
    const tasksLine = lines[0]!;
    const headEnd = tasksLine.index + tasksLine[0].length;
    const starts = taskBlocks(text, headEnd + 1);
    if (!starts) return undefined;

    // `tasks: {}` stands in for the blocks, so the head alone reads as a whole pipeline.
    const headText = text.slice(0, tasksLine.index);
    const prev = this.previous?.headText === headText ? this.previous : undefined;
    const head = prev?.head ?? parsePipeline(`${headText}tasks: {}`);
    if (!head.syntaxOk) return undefined;
    // A fresh pipeline around the head's values (a cached head is shared by the versions).
    const p = {
      ...head.pipeline,
      tasks: [],
      taskIndex: new Map(),
      fields: { ...head.pipeline.fields },
    } as typeof head.pipeline;
    const findings = [...head.findings];
    // Blocks wholly before the edit are where they were; wholly after it, moved by `delta`.
    const pre = prev ? commonPrefix(prev.text, text) : 0;
    const suf = prev
      ? commonSuffix(prev.text, text, Math.min(prev.text.length, text.length) - pre)
      : 0;
    const delta = text.length - (prev?.text.length ?? 0);
    const used = new Map<string, Block>();
    const byStart = new Map<number, Placed>();
    let mapStart = 0;
    let mapEnd = 0;
    let syntaxOk = true;
    for (let i = 0; i < starts.length; i++) {
      const start = starts[i]!;
      const end = starts[i + 1] ?? text.length;
      let placed: Placed | undefined;
      if (prev && end <= pre) {
        const old = prev.byStart.get(start);
        if (old?.end === end) placed = old;
      } else if (prev && start >= text.length - suf) {
        const old = prev.byStart.get(start - delta);
        if (old?.end === end - delta)
          placed = this.options.inPlace ? moveInPlace(old, delta) : move(old, delta);
      }
      if (!placed) {
        const chunk = text.slice(start, end);
        let block = once ? undefined : (used.get(chunk) ?? this.blocks.get(chunk));
        let key = chunk;
        if (!block) {
          this.stats.blockParses++;
          // A slice keeps the whole text of its version alive (V8 sliced strings): copy it, so
          // that the cache and the strings of the model hold only their own block. Once: the
          // text outlives the parse anyway (the caller has it), and no block is cached.
          if (!once) key = JSON.parse(JSON.stringify(chunk)) as string;
          block = parseBlock(key);
        }
        if (!block?.selfContained) return undefined;
        placed = place(
          key,
          block,
          start,
          end,
          p.params,
          once && this.options.ranges === false,
          p.paramRanges,
        );
      }
      const { block, task } = placed;
      if (!once) {
        used.set(placed.key, block);
        byStart.set(start, placed);
      }
      syntaxOk &&= block.ok;
      // No task from a valid block: an invalid name, which the full parse also checks for duplicates.
      if (!task && block.ok) return undefined;
      if (task) {
        if (p.taskIndex.has(task.name)) return undefined; // a duplicate: the full parse says so
        p.tasks.push(task);
        p.taskIndex.set(task.name, task);
      }
      for (const f of placed.findings) findings.push(f);
      if (i === 0) mapStart = block.map.start + start;
      mapEnd = block.map.end + start;
    }
    if (!once) {
      this.blocks = used;
      this.previous = { text, headText, head, byStart };
    }
    const tasksField = p.fields.tasks;
    if (tasksField)
      p.fields.tasks = { key: tasksField.key, value: { start: mapStart, end: mapEnd } };
    return {
      pipeline: p,
      findings: syntaxOk ? findings : findings.filter((f) => f.code === 'yaml-syntax'),
      syntaxOk,
    };
  }
}

/**
 * One task's block parsed on its own, with ranges relative to the block; undefined if unusual.
 * A syntax error stays in its block: a line at the task's indentation always starts a new
 * block in valid YAML, so an error cannot be an artefact of the cut.
 */
function parseBlock(chunk: string): Block | undefined {
  // Nesting too deep to read is reported by the full parse (core/parse/depth.ts).
  if (!selfContained(chunk) || tooDeep(chunk) !== undefined)
    return { ok: false, selfContained: false, findings: [], refs: [], map: { start: 0, end: 0 } };
  const doc = parseDocument(chunk, YAML_OPTIONS);
  const root = doc.contents as AnyNode;
  if (doc.errors.length > 0) {
    const findings = syntaxFindings(chunk, doc.errors, doc);
    const r = new Reader(doc, chunk);
    const p = emptyPipeline();
    if (isMap(root)) readTasks(r, root, p);
    // The reader's duplicate keys are YAML errors too: the full parse keeps them beside yaml's.
    for (const f of r.findings) if (f.code === 'yaml-syntax') findings.push(f);
    return {
      ok: false,
      selfContained: true,
      ...(p.tasks.length === 1 && p.tasks[0] ? { task: p.tasks[0] } : {}),
      findings,
      refs: [],
      map: root?.range ? { start: root.range[0], end: root.range[1] } : { start: 0, end: 0 },
    };
  }
  if (!isMap(root) || root.items.length !== 1 || !root.range) return undefined;
  // yaml places an empty key where the previous token ends: the line's start in the whole
  // text, after the indentation in a block; the full parse says where.
  const key = root.items[0]?.key as AnyNode;
  if (!isScalar(key) || key.source === '') return undefined;
  const r = new Reader(doc, chunk);
  const p = emptyPipeline();
  readTasks(r, root, p);
  return {
    ok: true,
    selfContained: true,
    ...(p.tasks[0] ? { task: p.tasks[0] } : {}),
    findings: r.findings,
    refs: collectReferences(doc, chunk),
    map: { start: root.range[0], end: Math.max(root.range[0], root.range[1]) },
  };
}

const CLOSED_DOUBLE = /^"(?:[^"\\]|\\[\s\S])*"$/;
const CLOSED_SINGLE = /^'(?:[^']|'')*'$/;
/** An unfinished flow collection, document markers and directives concern the whole text. */
const ENDS_OUTSIDE = new Set<CST.TokenType>([
  'flow-error-end',
  'doc-start',
  'doc-end',
  'directive-line',
]);

/**
 * True when a block's meaning does not depend on the text around it, read from its tokens:
 * every alias names an anchor set earlier in the block (so a merge `<<: *x` too), no document
 * marker or directive, and the block does not end inside a quoted scalar or a flow collection
 * (the full parse would carry it on into the next block). Plain and block scalars are single
 * tokens, so `*` or `&` inside a command is never taken for an alias or an anchor.
 */
export function selfContained(chunk: string): boolean {
  const anchors = new Set<string>();
  let depth = 0;
  let scalarNext = false;
  // A new Lexer each time: one left mid-way would prepend its rest to the next text.
  for (const token of new Lexer().lex(chunk)) {
    if (scalarNext) {
      scalarNext = false; // a plain scalar or a block scalar's body
      continue;
    }
    if (token === CST.SCALAR) {
      scalarNext = true;
      continue;
    }
    const type = CST.tokenType(token);
    if (type === 'anchor') anchors.add(token.slice(1));
    else if (type === 'alias' && !anchors.has(token.slice(1))) return false;
    else if (type === 'double-quoted-scalar' && !CLOSED_DOUBLE.test(token)) return false;
    else if (type === 'single-quoted-scalar' && !CLOSED_SINGLE.test(token)) return false;
    else if (type === 'flow-map-start' || type === 'flow-seq-start') depth++;
    else if (type === 'flow-map-end' || type === 'flow-seq-end') depth--;
    else if (type !== null && ENDS_OUTSIDE.has(type)) return false;
    // Anything else (punctuation, white space, comments, tags) is local to the block.
  }
  return depth === 0;
}
