/** The outline (tasks with their fields) and folding ranges. */
import { type DocumentSymbol, type FoldingRange, SymbolKind } from 'vscode-languageserver';
import type { Analysis } from './analysis';
import { toRange } from './convert';

export function documentSymbols(a: Analysis): DocumentSymbol[] {
  const p = a.validation.pipeline;
  const out: DocumentSymbol[] = [];
  for (const [key, f] of Object.entries(p.fields)) {
    if (!f || key === 'tasks') continue;
    out.push({
      name: key,
      kind: SymbolKind.Property,
      range: toRange(a.lines, { start: f.key.start, end: Math.max(f.key.end, f.value.end) }),
      selectionRange: toRange(a.lines, f.key),
    });
  }
  const tasksField = p.fields.tasks;
  if (tasksField) {
    const children: DocumentSymbol[] = p.tasks.map((t) => ({
      name: t.name,
      detail: t.description ?? t.run ?? '',
      kind: SymbolKind.Function,
      range: toRange(a.lines, {
        start: t.keyRange.start,
        end: Math.max(t.keyRange.end, t.range.end),
      }),
      selectionRange: toRange(a.lines, t.keyRange),
      children: Object.entries(t.fields).flatMap(([k, f]) =>
        f
          ? [
              {
                name: k,
                kind: SymbolKind.Field,
                range: toRange(a.lines, {
                  start: f.key.start,
                  end: Math.max(f.key.end, f.value.end),
                }),
                selectionRange: toRange(a.lines, f.key),
              },
            ]
          : [],
      ),
    }));
    out.push({
      name: 'tasks',
      kind: SymbolKind.Namespace,
      range: toRange(a.lines, {
        start: tasksField.key.start,
        end: Math.max(tasksField.key.end, tasksField.value.end),
      }),
      selectionRange: toRange(a.lines, tasksField.key),
      children,
    });
  }
  return out.sort((x, y) => x.range.start.line - y.range.start.line);
}

export function foldingRanges(a: Analysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  const add = (start: number, end: number): void => {
    const s = a.lines.position(start).line;
    const e = a.lines.position(Math.max(start, end - 1)).line;
    if (e > s) out.push({ startLine: s, endLine: e });
  };
  const p = a.validation.pipeline;
  for (const f of Object.values(p.fields)) if (f) add(f.key.start, f.value.end);
  for (const t of p.tasks) add(t.keyRange.start, t.range.end);
  return out;
}
