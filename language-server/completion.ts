/** Completion: keys from the format's spec, task names in `needs`, known outputs in `inputs`, params and env names. */
import {
  type CompletionItem,
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
} from 'vscode-languageserver';
import { downstreamOf } from '../core/graph/algorithms';
import { cursorContext, interpolationAt } from '../core/lang/context';
import {
  DEFAULTS_KEYS,
  EMAIL_KEYS,
  type KeySpec,
  NOTIFY_KEYS,
  PARTITION_PERIOD_KEYS,
  PARTITIONS_KEYS,
  PIPELINE_KEYS,
  POSTGRES_KEYS,
  TASK_KEYS,
  TRIGGER_KEYS,
} from '../core/schema/spec';
import type { Analysis } from './analysis';
import { listedAround } from './needsList';
import { partitionCompletions, siblingKeys } from './partitions';

function keysFor(path: string[]): Record<string, KeySpec> | undefined {
  const [a, b, c] = path;
  if (path.length === 0) return PIPELINE_KEYS;
  if (a === 'tasks' && path.length === 2) return TASK_KEYS;
  if (a === 'defaults' && path.length === 1) return DEFAULTS_KEYS;
  if (a === 'notify' && path.length === 1) return NOTIFY_KEYS;
  if (a === 'notify' && b === 'email' && path.length === 2) return EMAIL_KEYS;
  if (a === 'on') return TRIGGER_KEYS;
  if (a === 'partitions' && path.length === 1) return PARTITIONS_KEYS;
  if (a === 'partitions' && b !== 'values' && path.length === 2) return PARTITION_PERIOD_KEYS;
  // A postgres target's keys, however deep its list sits (`outputs: [- postgres: …]`).
  if (c === 'postgres' || b === 'postgres' || path[path.length - 1] === 'postgres')
    return POSTGRES_KEYS;
  return undefined;
}

function keyItems(keys: Record<string, KeySpec>, present: Set<string>): CompletionItem[] {
  return Object.entries(keys)
    .filter(([k]) => !present.has(k))
    .map(([k, spec]) => ({
      label: k,
      kind: CompletionItemKind.Property,
      documentation: { kind: MarkupKind.Markdown, value: spec.doc },
      insertText: `${k}: `,
      ...(spec.required ? { sortText: `0${k}` } : { sortText: `1${k}` }),
    }));
}

export function complete(a: Analysis, offset: number, env: NodeJS.ProcessEnv): CompletionItem[] {
  const ctx = cursorContext(a.text, offset);
  const v = a.validation.syntaxOk ? a.validation : (a.lastGood ?? a.validation);
  const p = v.pipeline;
  if (/\$\{\s*partition\.[\w-]*$/.test(ctx.linePrefix)) return partitionCompletions(p, true);
  const interp = interpolationAt(ctx.linePrefix);
  if (interp) {
    if (interp.ns === 'params')
      return Object.entries(p.params).map(([k, v]) => ({
        label: k,
        kind: CompletionItemKind.Variable,
        detail: `default: ${v}`,
      }));
    if (interp.ns === 'env') {
      const names = new Set([...Object.keys(p.env), ...Object.keys(env)]);
      return [...names].sort().map((k) => ({
        label: k,
        kind: CompletionItemKind.Variable,
        ...(Object.hasOwn(p.env, k) ? { detail: 'pipeline env' } : {}),
      }));
    }
    const fixed: Record<string, string> = { task: 'name', run: 'id', trigger: 'file' };
    return fixed[interp.ns]
      ? [{ label: fixed[interp.ns] as string, kind: CompletionItemKind.Variable }]
      : [];
  }
  if (ctx.linePrefix.trimStart().endsWith('${')) {
    return [
      ...['params.', 'env.', 'task.name', 'run.id', 'trigger.file'].map((l) => ({
        label: l,
        kind: CompletionItemKind.Variable,
      })),
      ...(p.partitions ? partitionCompletions(p, false) : []),
    ];
  }
  const taskName = ctx.path[0] === 'tasks' ? ctx.path[1] : undefined;
  if (ctx.key === 'needs' && taskName) {
    const task = p.taskIndex.get(taskName);
    // Not offered: the task itself, the names already listed (in the model and in the text
    // being typed, minus the item under the cursor), and every task that already depends on
    // this one, directly or not (through needs or data), since naming it would close a cycle.
    const have = listedAround(a.text, offset);
    for (const n of task?.needs ?? [])
      if (!(v === a.validation && offset >= n.range.start && offset <= n.range.end))
        have.add(n.value);
    const at = v.graph.index.get(taskName);
    const downstream = at === undefined ? new Set<number>() : downstreamOf(v.graph, [at]);
    return p.tasks
      .filter(
        (t) =>
          t.name !== taskName &&
          !have.has(t.name) &&
          !downstream.has(v.graph.index.get(t.name) ?? -1),
      )
      .map((t) => ({
        label: t.name,
        kind: CompletionItemKind.Reference,
        detail: t.run ?? '',
        ...(t.description ? { documentation: t.description } : {}),
      }));
  }
  if (ctx.key === 'inputs' && taskName) {
    const items: CompletionItem[] = [];
    for (const n of v.graph.nodes) {
      if (n.name === taskName) continue;
      for (const o of n.outputs)
        if (o.target.kind === 'path')
          items.push({
            label: o.target.path,
            kind: CompletionItemKind.File,
            detail: `output of ${n.name}`,
          });
    }
    return items;
  }
  if (ctx.atKey) {
    const keys = keysFor(ctx.path);
    if (!keys) return [];
    // Keys already written: the model's, and (while the text is typed, everywhere) the text's.
    const present = new Set<string>([
      ...siblingKeys(a.text, offset),
      ...(ctx.path.length === 0
        ? Object.keys(p.fields)
        : taskName && ctx.path.length === 2
          ? Object.keys(p.taskIndex.get(taskName)?.fields ?? {})
          : []),
    ]);
    return keyItems(keys, present);
  }
  if (ctx.key === 'executor')
    return ['local', 'slurm'].map((l) => ({ label: l, kind: CompletionItemKind.EnumMember }));
  if (ctx.key === 'run' && taskName && ctx.prefix === '') {
    return [
      {
        label: 'python3 …',
        kind: CompletionItemKind.Snippet,
        insertTextFormat: InsertTextFormat.Snippet,
        insertText: 'python3 ${1:steps/script.py}',
      },
    ];
  }
  return [];
}
