/**
 * Turns a graph intent into minimal text edits that keep comments, order, quoting and
 * indentation, then checks, by parsing the result, that exactly the intended change happened.
 */
import type { FieldRange, Pipeline, Task, TextEdit } from '../model';
import { TASK_NAME_PATTERN } from '../model';
import { type ParseResult, parsePipeline } from '../parse/parse';
import type { GraphIntent } from './intents';
import { afterTask, blankLineBetweenTasks } from './placement';
import { appendItem, type EditResult, listValue, removeItem } from './sequences';
import { expectedAfter, summarize } from './summary';
import { setSpecialField } from './fields';
import { cycleRefusal } from './cycles';
import {
  applyEdits,
  columnOf,
  deleteLines,
  eolOf,
  innerRange,
  insert,
  lineEndWithBreak,
  lineStart,
  replace,
  scalarLike,
  trimEnd,
  yamlScalar,
} from './text';

export type { EditResult };

/** A field written in the task itself, not merged in from elsewhere (`<<: *defaults`). */
function ownField(t: Task, f: FieldRange | undefined): FieldRange | undefined {
  return f && f.key.start >= t.range.start && f.key.start < t.range.end ? f : undefined;
}

function fieldIndent(text: string, t: Task): number {
  const first = Object.values(t.fields)
    .map((f) => ownField(t, f)?.key.start)
    .filter((x): x is number => x !== undefined)
    .sort((a, b) => a - b)[0];
  return first !== undefined ? columnOf(text, first) : columnOf(text, t.keyRange.start) + 2;
}

function isFlowMap(text: string, t: Task): boolean {
  return text[t.range.start] === '{';
}

function scalarValue(value: string | number, indent: number, eol: string): string {
  if (typeof value === 'number') return String(value);
  if (value.includes('\n'))
    return `|${eol}${value
      .replace(/\n$/, '')
      .split('\n')
      .map((l) => (l === '' ? '' : ' '.repeat(indent + 2) + l))
      .join(eol)}`;
  return yamlScalar(value);
}

function edit(text: string, p: Pipeline, intent: GraphIntent): EditResult {
  const eol = eolOf(text);
  const task = (name: string): Task | undefined => p.taskIndex.get(name);
  switch (intent.kind) {
    case 'renameTask': {
      const t = task(intent.from);
      if (!t) return { error: `no task '${intent.from}'` };
      if (!TASK_NAME_PATTERN.test(intent.to))
        return {
          error: `'${intent.to}' is not a valid task name (letters, digits, _ . -, starting with a letter or _)`,
        };
      if (p.taskIndex.has(intent.to))
        return { error: `a task named '${intent.to}' exists already` };
      const edits: TextEdit[] = [replace(innerRange(text, t.keyRange), intent.to)];
      for (const other of p.tasks)
        for (const n of other.needs)
          if (n.value === intent.from) edits.push(replace(innerRange(text, n.range), intent.to));
      return { edits };
    }
    case 'addDependency': {
      const t = task(intent.task);
      if (!t) return { error: `no task '${intent.task}'` };
      if (!p.taskIndex.has(intent.needs)) return { error: `no task '${intent.needs}'` };
      if (t.needs.some((n) => n.value === intent.needs))
        return { error: `'${intent.task}' already needs '${intent.needs}'` };
      if (intent.task === intent.needs) return { error: 'a task cannot need itself' };
      const cycle = cycleRefusal(p, intent.task, [intent.needs]);
      if (cycle) return { error: cycle };
      const f = t.fields.needs;
      if (isFlowMap(text, t) && !f) {
        // `t: {run: x}` gains `, needs: [y]` before its closing brace.
        const close = trimEnd(text, t.range.start, t.range.end) - 1;
        if (text[close] !== '}')
          return { error: `'${intent.task}' is written as a flow map; edit it in the YAML` };
        const at = trimEnd(text, t.range.start, close);
        const sep = text[at - 1] === '{' ? '' : ', ';
        return { edits: [insert(at, `${sep}needs: [${yamlScalar(intent.needs, true)}]`)] };
      }
      if (f)
        return appendItem(
          text,
          f,
          t.needs.map((n) => n.range),
          intent.needs,
        );
      const at = lineEndWithBreak(text, t.keyRange.end);
      return {
        edits: [
          insert(
            at,
            `${at === text.length && !text.endsWith('\n') ? eol : ''}${' '.repeat(fieldIndent(text, t))}needs: [${yamlScalar(intent.needs, true)}]${eol}`,
          ),
        ],
      };
    }
    case 'removeDependency': {
      const t = task(intent.task);
      const i = t?.needs.findIndex((n) => n.value === intent.needs) ?? -1;
      if (!t || i < 0 || !t.fields.needs)
        return { error: `'${intent.task}' does not need '${intent.needs}'` };
      return removeItem(
        text,
        t.fields.needs,
        t.needs.map((n) => n.range),
        i,
      );
    }
    case 'addTask': {
      if (!TASK_NAME_PATTERN.test(intent.name))
        return { error: `'${intent.name}' is not a valid task name` };
      if (p.taskIndex.has(intent.name))
        return { error: `a task named '${intent.name}' exists already` };
      const last = p.tasks[p.tasks.length - 1];
      const ti = last ? columnOf(text, last.keyRange.start) : 2;
      const fi = last ? fieldIndent(text, last) : 4;
      const body = [
        `${' '.repeat(ti)}${intent.name}:`,
        `${' '.repeat(fi)}run: ${scalarValue(intent.run, fi, eol)}`,
      ];
      if (intent.needs?.length)
        body.push(
          `${' '.repeat(fi)}needs: [${intent.needs.map((n) => yamlScalar(n, true)).join(', ')}]`,
        );
      const block = body.join(eol) + eol;
      if (last) {
        const at = afterTask(text, last);
        const lead = at === text.length && !text.endsWith('\n') ? eol : '';
        const blank = blankLineBetweenTasks(text, p.tasks) ? eol : '';
        return { edits: [insert(at, lead + blank + block)] };
      }
      const tasksField = p.fields.tasks;
      if (tasksField) {
        const lineEnd = lineEndWithBreak(text, tasksField.key.end);
        const valueText = text.slice(tasksField.key.end, lineEnd);
        const colon = text.indexOf(':', tasksField.key.end);
        return {
          edits: [replace({ start: colon + 1, end: lineEnd }, `${eol}${block}`)],
          ...(/\{\s*\}|\[\s*\]|~|null/.test(valueText) ? {} : {}),
        };
      }
      return {
        edits: [
          insert(
            text.length,
            `${text === '' || text.endsWith('\n') ? '' : eol}tasks:${eol}${block}`,
          ),
        ],
      };
    }
    case 'removeTask': {
      const t = task(intent.name);
      if (!t) return { error: `no task '${intent.name}'` };
      // The task, its own comments (indented under it), and one of the blank lines around it.
      const start = lineStart(text, t.keyRange.start);
      let end = afterTask(text, t);
      const blankBefore = start > 0 && text.slice(lineStart(text, start - 1), start).trim() === '';
      const next = lineEndWithBreak(text, end);
      if (blankBefore && end < text.length && text.slice(end, next).trim() === '') end = next;
      const edits: TextEdit[] = [replace({ start, end }, '')];
      for (const other of p.tasks) {
        if (other === t || !other.fields.needs) continue;
        const i = other.needs.findIndex((n) => n.value === intent.name);
        if (i < 0) continue;
        const r = removeItem(
          text,
          other.fields.needs,
          other.needs.map((n) => n.range),
          i,
        );
        if ('error' in r) return r;
        edits.push(...r.edits);
      }
      return { edits };
    }
    case 'setTaskField': {
      const t = task(intent.task);
      if (!t) return { error: `no task '${intent.task}'` };
      if (isFlowMap(text, t))
        return { error: `'${intent.task}' is written as a flow map; edit it in the YAML` };
      // A merged-in value (`<<: *defaults`) is overridden in the task, never edited at its anchor.
      const f = ownField(t, t.fields[intent.field]);
      if (intent.value === null && !f && t.fields[intent.field])
        return {
          error: `'${intent.field}' of '${intent.task}' comes from a merge key (<<:); edit it in the YAML`,
        };
      const fi = fieldIndent(text, t);
      // Lists and env: item by item; undefined when the generic write below applies.
      const special = setSpecialField(text, p, t, intent.field, intent.value, eol, fi);
      if (special) return special;
      if (
        intent.value === null ||
        (Array.isArray(intent.value) &&
          intent.value.length === 0 &&
          intent.field !== 'inputs' &&
          intent.field !== 'outputs')
      ) {
        return f
          ? { edits: [deleteLines(text, f.key.start, Math.max(f.value.end, f.key.end))] }
          : { edits: [] };
      }
      const written = Array.isArray(intent.value)
        ? listValue(intent.value, fi + 2, eol)
        : scalarValue(intent.value, fi, eol);
      if (f) {
        const colon = text.indexOf(':', f.key.end);
        const end = Math.max(trimEnd(text, f.value.start, f.value.end), colon + 1);
        const old = text.slice(f.value.start, end);
        const value =
          typeof intent.value === 'string' && !intent.value.includes('\n')
            ? scalarLike(old, intent.value)
            : Array.isArray(intent.value) && old.startsWith('-')
              ? intent.value
                  .map(
                    (v) =>
                      `${eol}${text.slice(lineStart(text, f.value.start), f.value.start)}- ${yamlScalar(v)}`,
                  )
                  .join('')
              : written;
        return {
          edits: [replace({ start: colon + 1, end }, (value.startsWith(eol) ? '' : ' ') + value)],
        };
      }
      const at = afterTask(text, t);
      return {
        edits: [
          insert(
            at,
            `${at === text.length && !text.endsWith('\n') ? eol : ''}${' '.repeat(fi)}${intent.field}:${written.startsWith(eol) ? '' : ' '}${written}${eol}`,
          ),
        ],
      };
    }
    case 'addSource': {
      const f = p.fields.sources;
      if (p.sources.some((s) => s.kind === 'path' && s.path === intent.path))
        return { error: `'${intent.path}' is a source already` };
      if (f)
        return appendItem(
          text,
          f,
          p.sources.map((s) => s.range),
          intent.path,
        );
      const tasksKey = p.fields.tasks?.key.start;
      const at = tasksKey !== undefined ? lineStart(text, tasksKey) : text.length;
      return { edits: [insert(at, `sources:${eol}  - ${yamlScalar(intent.path)}${eol}`)] };
    }
  }
}

/** The YAML errors of a parse, without their positions (an edit before one moves it). */
const syntaxErrors = (r: ParseResult): string =>
  JSON.stringify(r.findings.filter((f) => f.code === 'yaml-syntax').map((f) => f.message));

export interface PlannedEdit {
  edits: TextEdit[];
  text: string;
}

/** The edits for an intent, verified: the re-parsed result differs from the original exactly as intended. */
export function planEdit(
  text: string,
  intent: GraphIntent,
  parsed?: Pipeline,
): PlannedEdit | { error: string } {
  const before = parsed ?? parsePipeline(text).pipeline;
  const r = edit(text, before, intent);
  if ('error' in r) return r;
  const after = applyEdits(text, r.edits);
  const reparsed = parsePipeline(after);
  // A YAML error elsewhere, already there: the edit goes in if it leaves the errors as they were.
  const was = reparsed.syntaxOk ? undefined : parsePipeline(text);
  const yamlFirst = (): { error: string } => {
    const first = was?.findings.find((f) => f.code === 'yaml-syntax');
    const line = first ? text.slice(0, first.range.start).split('\n').length : 1;
    return { error: `the YAML does not parse at line ${line}; fix it first, then edit here` };
  };
  if (was?.syntaxOk) return { error: 'the edit would break the YAML; edit it by hand' };
  if (was && syntaxErrors(was) !== syntaxErrors(reparsed)) return yamlFirst();
  const expected = JSON.stringify(expectedAfter(summarize(before), intent));
  const actual = JSON.stringify(summarize(reparsed.pipeline));
  if (expected !== actual)
    return was
      ? yamlFirst()
      : { error: 'the edit did not come out as intended; edit the YAML by hand' };
  return { edits: r.edits, text: after };
}
