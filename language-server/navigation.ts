/** Go to definition, find references and rename, over the model's source ranges. */
import {
  type Location,
  ResponseError,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { findReferences } from '../core/interpolate';
import type { Span, Task } from '../core/model';
import { planEdit } from '../core/edit/plan';
import { innerRange } from '../core/edit/text';
import type { Analysis } from './analysis';
import { toRange } from './convert';

const inside = (s: Span, o: number): boolean => o >= s.start && o <= s.end;

/** The task a position names: its key, a `needs` item, or an input produced by it. */
export function taskAt(a: Analysis, offset: number): { task: Task; range: Span } | undefined {
  const p = a.validation.pipeline;
  const g = a.validation.graph;
  for (const t of p.tasks) {
    if (inside(t.keyRange, offset)) return { task: t, range: t.keyRange };
    if (!inside(t.range, offset)) continue;
    for (const n of t.needs) {
      const target = p.taskIndex.get(n.value);
      if (target && inside(n.range, offset)) return { task: target, range: n.range };
    }
  }
  // An input: the task that produces it (a data edge into this task).
  for (const e of g.edges) {
    if (e.kind !== 'data' || !inside(e.range, offset)) continue;
    const producer = p.taskIndex.get(g.nodes[e.from]?.name ?? '');
    if (producer) return { task: producer, range: e.range };
  }
  return undefined;
}

export function definition(a: Analysis, offset: number): Location[] {
  const p = a.validation.pipeline;
  const lineStart = a.text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = a.text.indexOf('\n', offset);
  for (const ref of findReferences(a.text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd))) {
    if (
      ref.ns !== 'params' ||
      !inside({ start: lineStart + ref.start, end: lineStart + ref.end }, offset)
    )
      continue;
    const param = p.paramRanges[ref.name];
    return param ? [{ uri: a.uri, range: toRange(a.lines, param.key) }] : [];
  }
  const hit = taskAt(a, offset);
  if (!hit) return [];
  // From an input, jump to the output that makes it; from a name, to the task's key.
  const g = a.validation.graph;
  const edge = g.edges.find((e) => e.kind === 'data' && e.range === hit.range);
  if (edge) {
    const out = g.nodes[edge.from]?.outputs.find(
      (o) => edge.via !== undefined && (edge.via === o.id || edge.via.startsWith(o.id + '/')),
    );
    if (out) return [{ uri: a.uri, range: toRange(a.lines, out.target.range) }];
  }
  return [{ uri: a.uri, range: toRange(a.lines, hit.task.keyRange) }];
}

export function references(a: Analysis, offset: number, includeDeclaration: boolean): Location[] {
  const hit = taskAt(a, offset);
  if (!hit) return [];
  const name = hit.task.name;
  const g = a.validation.graph;
  const from = g.index.get(name);
  const out: Location[] = includeDeclaration
    ? [{ uri: a.uri, range: toRange(a.lines, hit.task.keyRange) }]
    : [];
  for (const e of g.edges)
    if (e.from === from) out.push({ uri: a.uri, range: toRange(a.lines, e.range) });
  return out;
}

/** A rename of a file that does not parse would miss what could not be read: say what to fix. */
function refuseBroken(a: Analysis): void {
  if (a.validation.syntaxOk) return;
  const first = a.validation.findings.find((f) => f.code === 'yaml-syntax');
  const line = first ? a.lines.position(first.range.start).line + 1 : undefined;
  throw new ResponseError(
    -32602,
    `The file does not parse${line ? ` (line ${line})` : ''}: fix that first, then rename.`,
  );
}

export function prepareRename(
  a: Analysis,
  offset: number,
): { range: ReturnType<typeof toRange>; placeholder: string } | null {
  refuseBroken(a);
  const hit = taskAt(a, offset);
  if (!hit || a.validation.graph.edges.some((e) => e.kind === 'data' && e.range === hit.range))
    return null;
  return { range: toRange(a.lines, innerRange(a.text, hit.range)), placeholder: hit.task.name };
}

export function rename(a: Analysis, offset: number, newName: string): WorkspaceEdit {
  refuseBroken(a);
  const hit = taskAt(a, offset);
  if (!hit)
    throw new ResponseError(-32602, 'Rename works on a task name: its key or a needs entry.');
  const planned = planEdit(
    a.text,
    { kind: 'renameTask', from: hit.task.name, to: newName },
    a.validation.pipeline,
  );
  if ('error' in planned) throw new ResponseError(-32602, planned.error);
  const edits: LspTextEdit[] = planned.edits.map((e) => ({
    range: toRange(a.lines, e.range),
    newText: e.newText,
  }));
  return { changes: { [a.uri]: edits } };
}
