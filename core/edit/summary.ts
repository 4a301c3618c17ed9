/** A comparable summary of a pipeline's tasks, and what an intent should do to it (edit verification). */
import { parseDuration } from '../durations';
import type { Pipeline, Target } from '../model';
import { isNode } from 'yaml';
import type { GraphIntent } from './intents';
import { envEntries } from './envMap';
import { objectLabel, stringItem } from './targetList';

export interface TaskSummary {
  name: string;
  run?: string;
  needs: string[];
  /** The string items (paths, URLs) of each list. */
  inputs: string[];
  outputs: string[];
  /** The object targets of each list, whole: `[label, every field]`, so a rewrite shows. */
  inputObjects: [string, string][];
  outputObjects: [string, string][];
  /** Sorted: an edit keeps the written order, a panel may send another. */
  env: [string, string][];
  description?: string;
  retries?: number;
  timeoutMs?: number;
  retryDelayMs?: number;
  cwd?: string;
}

export interface Summary {
  tasks: TaskSummary[];
  sources: string[];
}

const targetText = (t: Target): string => stringItem(t) ?? objectLabel(t);
const strings = (ts: Target[]): string[] => ts.flatMap((t) => stringItem(t) ?? []);
const objects = (ts: Target[]): [string, string][] =>
  ts.flatMap((t): [string, string][] =>
    stringItem(t) !== undefined
      ? []
      : [
          [
            objectLabel(t),
            JSON.stringify(
              t.kind === 'other'
                ? [t.type, isNode(t.spec) ? t.spec.toJSON() : t.spec]
                : { ...t, range: undefined },
            ),
          ],
        ],
  );

const sortedEnv = (entries: [string, string][]): [string, string][] =>
  [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

export function summarize(p: Pipeline): Summary {
  return {
    tasks: p.tasks.map((t) => ({
      name: t.name,
      ...(t.run !== undefined ? { run: t.run } : {}),
      needs: t.needs.map((n) => n.value),
      inputs: strings(t.inputs),
      outputs: strings(t.outputs),
      inputObjects: objects(t.inputs),
      outputObjects: objects(t.outputs),
      env: sortedEnv(Object.entries(t.env)),
      ...(t.description !== undefined ? { description: t.description } : {}),
      ...(t.retries !== undefined ? { retries: t.retries } : {}),
      ...(t.timeoutMs !== undefined ? { timeoutMs: t.timeoutMs } : {}),
      ...(t.retryDelayMs !== undefined ? { retryDelayMs: t.retryDelayMs } : {}),
      ...(t.cwd !== undefined ? { cwd: t.cwd } : {}),
    })),
    sources: p.sources.map(targetText),
  };
}

function setField(
  t: TaskSummary,
  field: string,
  value: string | number | string[] | null,
): TaskSummary {
  const out: TaskSummary = { ...t };
  const key = { timeout: 'timeoutMs', retry_delay: 'retryDelayMs' }[field] ?? field;
  const rec = out as unknown as Record<string, unknown>;
  if (key === 'env') {
    const entries = value === null ? [] : envEntries([value].flat().map(String));
    rec[key] = Array.isArray(entries) ? sortedEnv(entries) : [];
    return out;
  }
  if (key === 'needs') {
    rec[key] = value === null ? [] : [value].flat().map(String);
    return out;
  }
  if (key === 'inputs' || key === 'outputs') {
    // Object targets stay as they are; a value naming one by its label keeps it.
    const labels = new Set(
      (key === 'inputs' ? out.inputObjects : out.outputObjects).map(([label]) => label),
    );
    const wanted = value === null ? [] : Array.isArray(value) ? value : [String(value)];
    rec[key] = wanted.filter((w) => !labels.has(w));
    return out;
  }
  if (value === null) {
    delete rec[key];
    return out;
  }
  if (key === 'timeoutMs' || key === 'retryDelayMs') rec[key] = parseDuration(value);
  else if (key === 'run' && typeof value === 'string' && value.includes('\n'))
    rec[key] = value.endsWith('\n') ? value : value + '\n';
  else rec[key] = value;
  // Re-order keys as summarize() writes them.
  return summarizeOrder(out);
}

function summarizeOrder(t: TaskSummary): TaskSummary {
  const order = [
    'name',
    'run',
    'needs',
    'inputs',
    'outputs',
    'inputObjects',
    'outputObjects',
    'env',
    'description',
    'retries',
    'timeoutMs',
    'retryDelayMs',
    'cwd',
  ];
  const rec = t as unknown as Record<string, unknown>;
  return Object.fromEntries(
    order.filter((k) => rec[k] !== undefined).map((k) => [k, rec[k]]),
  ) as unknown as TaskSummary;
}

export function expectedAfter(s: Summary, intent: GraphIntent): Summary {
  const map = (f: (t: TaskSummary) => TaskSummary): Summary => ({ ...s, tasks: s.tasks.map(f) });
  switch (intent.kind) {
    case 'renameTask':
      return map((t) => ({
        ...t,
        name: t.name === intent.from ? intent.to : t.name,
        needs: t.needs.map((n) => (n === intent.from ? intent.to : n)),
      }));
    case 'addDependency':
      return map((t) => (t.name === intent.task ? { ...t, needs: [...t.needs, intent.needs] } : t));
    case 'removeDependency':
      return map((t) =>
        t.name === intent.task ? { ...t, needs: t.needs.filter((n) => n !== intent.needs) } : t,
      );
    case 'addTask': {
      const run =
        intent.run.includes('\n') && !intent.run.endsWith('\n') ? intent.run + '\n' : intent.run;
      return {
        ...s,
        tasks: [
          ...s.tasks,
          {
            name: intent.name,
            run,
            needs: intent.needs ?? [],
            inputs: [],
            outputs: [],
            inputObjects: [],
            outputObjects: [],
            env: [],
          },
        ],
      };
    }
    case 'removeTask':
      return {
        ...s,
        tasks: s.tasks
          .filter((t) => t.name !== intent.name)
          .map((t) => ({ ...t, needs: t.needs.filter((n) => n !== intent.name) })),
      };
    case 'setTaskField':
      return map((t) => (t.name === intent.task ? setField(t, intent.field, intent.value) : t));
    case 'addSource':
      return { ...s, sources: [...s.sources, intent.path] };
  }
}
