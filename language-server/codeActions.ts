/** Quick fixes for findings, each planned by core/edit (the graph editor's edit code). */
import { type CodeAction, CodeActionKind, type Diagnostic } from 'vscode-languageserver';
import type { GraphIntent } from '../core/edit/intents';
import { planEdit } from '../core/edit/plan';
import type { FindingData, TextEdit } from '../core/model';
import type { Analysis } from './analysis';
import { toRange, toSpan } from './convert';

function action(
  a: Analysis,
  title: string,
  d: Diagnostic,
  edits: TextEdit[],
  preferred = false,
): CodeAction {
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    ...(preferred ? { isPreferred: true } : {}),
    edit: {
      changes: {
        [a.uri]: edits.map((e) => ({ range: toRange(a.lines, e.range), newText: e.newText })),
      },
    },
  };
}

function fromIntent(
  a: Analysis,
  title: string,
  d: Diagnostic,
  intent: GraphIntent,
  preferred = false,
): CodeAction[] {
  const planned = planEdit(a.text, intent, a.validation.pipeline);
  return 'error' in planned ? [] : [action(a, title, d, planned.edits, preferred)];
}

function newTaskName(a: Analysis, base: string): string {
  // Task names may hold letters of any script (TASK_NAME_PATTERN): keep them.
  const clean = base.replace(/[^\p{L}\p{M}\p{N}_.-]+/gu, '_').replace(/^[^\p{L}_]+/u, '') || 'task';
  let name = `make_${clean}`.slice(0, 40);
  for (let i = 2; a.validation.pipeline.taskIndex.has(name); i++) name = `make_${clean}_${i}`;
  return name;
}

export function codeActions(a: Analysis, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== 'tributary') continue;
    const data = d.data as FindingData | undefined;
    if (!data) continue;
    switch (data.kind) {
      case 'unknown-task':
        data.suggestions.forEach((s, i) =>
          out.push(
            action(
              a,
              `Change to '${s}'`,
              d,
              [{ range: toSpan(a.lines, d.range), newText: s }],
              i === 0,
            ),
          ),
        );
        out.push(
          ...fromIntent(a, `Create task '${data.name}'`, d, {
            kind: 'addTask',
            name: data.name,
            run: `echo "TODO: ${data.name}"`,
          }),
        );
        break;
      case 'missing-input':
        out.push(
          ...fromIntent(
            a,
            `Add '${data.path}' to sources`,
            d,
            { kind: 'addSource', path: data.path },
            true,
          ),
        );
        out.push(...createProducer(a, d, data.path));
        break;
      case 'cycle-edge':
        if (data.via === 'needs')
          out.push(
            ...fromIntent(a, `Remove this dependency (${data.to} needs ${data.from})`, d, {
              kind: 'removeDependency',
              task: data.to,
              needs: data.from,
            }),
          );
        else out.push(...removeInput(a, d, data.to));
        break;
      case 'unknown-key':
      case 'invalid-duration':
      case 'one-of':
        if (data.suggestion)
          out.push(
            action(
              a,
              `Change to '${data.suggestion}'`,
              d,
              [{ range: toSpan(a.lines, d.range), newText: data.suggestion }],
              true,
            ),
          );
        break;
      case 'undefined-param':
        // The finding's range is the whole `${params.X}`: written back in its plain form.
        if (data.suggestion)
          out.push(
            action(
              a,
              `Change to '\${params.${data.suggestion}}'`,
              d,
              [{ range: toSpan(a.lines, d.range), newText: `\${params.${data.suggestion}}` }],
              true,
            ),
          );
        break;
      case 'quote-item':
        out.push(
          action(
            a,
            data.what === 'indent' ? 'Indent with spaces' : `Quote this ${data.what ?? 'item'}`,
            d,
            [data.fix],
            true,
          ),
        );
        break;
    }
  }
  return out;
}

function createProducer(a: Analysis, d: Diagnostic, path: string): CodeAction[] {
  const name = newTaskName(
    a,
    path
      .split('/')
      .pop()
      ?.replace(/\.[^.]*$/, '') ?? 'output',
  );
  const add = planEdit(
    a.text,
    { kind: 'addTask', name, run: `echo "TODO: produce ${path}"` },
    a.validation.pipeline,
  );
  if ('error' in add) return [];
  const withOutput = planEdit(add.text, {
    kind: 'setTaskField',
    task: name,
    field: 'outputs',
    value: [path],
  });
  if ('error' in withOutput) return [];
  // Both edits as one, against the original text: the second inserts inside the first's new block.
  const combined = [{ range: { start: 0, end: a.text.length }, newText: withOutput.text }];
  const minimal =
    add.edits.length === 1 && add.edits[0] && withOutput.edits.length === 1 && withOutput.edits[0];
  if (minimal) {
    const first = add.edits[0]!;
    const block = withOutput.text.slice(
      first.range.start,
      first.range.start + first.newText.length + withOutput.edits[0]!.newText.length,
    );
    return [
      action(a, `Create a task that outputs '${path}'`, d, [
        { range: first.range, newText: block },
      ]),
    ];
  }
  return [action(a, `Create a task that outputs '${path}'`, d, combined)];
}

function removeInput(a: Analysis, d: Diagnostic, taskName: string): CodeAction[] {
  const task = a.validation.pipeline.taskIndex.get(taskName);
  const span = toSpan(a.lines, d.range);
  const index = task?.inputs.findIndex((t) => t.range.start === span.start) ?? -1;
  if (!task || index < 0) return [];
  const value = task.inputs
    .filter((_, i) => i !== index)
    .map((t) => (t.kind === 'path' ? t.path : ''));
  if (task.inputs.some((t) => t.kind !== 'path')) return [];
  return fromIntent(a, `Remove this input (it makes the cycle)`, d, {
    kind: 'setTaskField',
    task: taskName,
    field: 'inputs',
    value: value.length ? value : null,
  });
}
