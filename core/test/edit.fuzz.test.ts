/**
 * Random intents on every golden edit fixture (and the demo): each accepted edit is re-parsed
 * and checked independently of planEdit's own check: the YAML stays valid, tasks the intent
 * is not about keep their exact text, standalone comments stay, object targets stay whole.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { type GraphIntent, TASK_FIELDS } from '../edit/intents';
import { planEdit } from '../edit/plan';
import { objectLabel } from '../edit/targetList';
import { lineStart } from '../edit/text';
import type { FieldRange, Pipeline, Task } from '../model';
import { parsePipeline } from '../parse/parse';
import { rng } from './mutations';

const root = path.join(import.meta.dirname, 'fixtures', 'edit');
const texts = [
  ...new Set([
    ...fs.readdirSync(root).map((d) => fs.readFileSync(path.join(root, d, 'input.yaml'), 'utf8')),
    fs.readFileSync(
      path.join(import.meta.dirname, '..', '..', 'examples', 'weather', 'weather.pipeline.yaml'),
      'utf8',
    ),
  ]),
].filter((t) => parsePipeline(t).syntaxOk);

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const strings = (ts: Task['inputs']): string[] =>
  ts.flatMap((t) => (t.kind === 'path' ? [t.path] : t.kind === 'hdfs' ? [t.url] : []));

function randomValue(
  r: Rand,
  t: Task,
  field: (typeof TASK_FIELDS)[number],
  p: Pipeline,
): string | number | string[] | null {
  if (r() < 0.12) return null;
  switch (field) {
    case 'env': {
      // Some entries kept, one changed, one added; `KEY=value` lines as the panel sends them.
      const now = Object.entries(t.env)
        .filter(() => r() > 0.3)
        .map(([k, v]) => `${k}=${v}`);
      if (r() < 0.4 && now.length) now[0] = `${now[0]}x`;
      if (r() < 0.6)
        now.push(`NEW_${Math.floor(r() * 10)}=${pick(r, ['1', 'a b', '${params.day}', ''])}`);
      return [...new Map(now.map((l) => [l.split('=')[0], l])).values()];
    }
    case 'needs': {
      // Some kept, some dropped, another task added (maybe closing a cycle: still a valid edit).
      const now = t.needs.map((n) => n.value).filter(() => r() > 0.3);
      const other = pick(r, p.tasks).name;
      if (r() < 0.6 && other !== t.name && !now.includes(other)) now.push(other);
      return now;
    }
    case 'retries':
      return Math.floor(r() * 5);
    case 'timeout':
    case 'retry_delay':
      return pick(r, ['5m', '30s', '1h30m', '500ms', '2h']);
    case 'inputs':
    case 'outputs': {
      // What a panel sends: the file items, some dropped, some renamed, some added.
      const now = strings(t[field]).filter(() => r() > 0.3);
      if (r() < 0.5) now.push(`data/new_${Math.floor(r() * 100)}.csv`);
      if (r() < 0.3 && now.length) now[0] = `${now[0]}.bak`;
      if (r() < 0.2) now.reverse();
      // An older panel sent object targets back by their graph label: they must stay whole.
      for (const x of t[field]) if (x.kind === 'postgres' && r() < 0.5) now.push(objectLabel(x));
      return now;
    }
    case 'run':
      return r() < 0.3
        ? 'python a.py\n--flag "x"\n'
        : pick(r, ['echo hi', 'python s.py # c', "it's: odd"]);
    case 'description':
    case 'cwd':
      return pick(r, ['a b', 'x: y', 'data', '  spaced ', '#hash', 'ünï']);
  }
}

function randomIntent(r: Rand, p: Pipeline): GraphIntent {
  const t = pick(r, p.tasks);
  const other = pick(r, p.tasks);
  const k = r();
  if (k < 0.5) {
    const field = pick(r, TASK_FIELDS);
    return { kind: 'setTaskField', task: t.name, field, value: randomValue(r, t, field, p) };
  }
  if (k < 0.62) return { kind: 'addDependency', task: t.name, needs: other.name };
  if (k < 0.72 && t.needs.length)
    return { kind: 'removeDependency', task: t.name, needs: pick(r, t.needs).value };
  if (k < 0.82) return { kind: 'renameTask', from: t.name, to: `${t.name}_2` };
  if (k < 0.92)
    return {
      kind: 'addTask',
      name: `new_${Math.floor(r() * 1000)}`,
      run: 'echo x',
      needs: [t.name],
    };
  return { kind: 'removeTask', name: t.name };
}

/** A task's own text: from the start of its key's line to its last value. */
const own = (text: string, t: Task): string =>
  text.slice(lineStart(text, t.keyRange.start), t.range.end);
const comments = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('#'))
    .sort();

/** Tasks whose text the intent may change. */
function touched(intent: GraphIntent, p: Pipeline): Set<string> {
  switch (intent.kind) {
    case 'setTaskField':
    case 'addDependency':
    case 'removeDependency':
      return new Set([intent.task]);
    case 'renameTask':
      return new Set([
        intent.from,
        ...p.tasks.filter((t) => t.needs.some((n) => n.value === intent.from)).map((t) => t.name),
      ]);
    case 'removeTask':
      return new Set([
        intent.name,
        ...p.tasks.filter((t) => t.needs.some((n) => n.value === intent.name)).map((t) => t.name),
      ]);
    case 'addTask':
    case 'addSource':
      return new Set();
  }
}

function check(text: string, intent: GraphIntent): boolean {
  const before = parsePipeline(text).pipeline;
  const result = planEdit(text, intent);
  if ('error' in result) {
    if (process.env.SHOW_REJECTED) console.log('REJECTED', result.error, JSON.stringify(intent));
    return false;
  }
  const label = `${JSON.stringify(intent)} on\n${text}\n→\n${result.text}`;
  const after = parsePipeline(result.text);
  assert.ok(after.syntaxOk, label);
  const may = touched(intent, before);
  for (const t of before.tasks) {
    if (may.has(t.name)) continue;
    const now = after.pipeline.taskIndex.get(t.name);
    assert.ok(now, `${t.name} vanished: ${label}`);
    assert.equal(own(result.text, now), own(text, t), `${t.name} changed: ${label}`);
  }
  // The text before the first task (header, params, comments) is never touched.
  const first = before.tasks[0];
  if (first) {
    const head = text.slice(0, lineStart(text, first.keyRange.start));
    assert.ok(result.text.startsWith(head), `head changed: ${label}`);
  }
  // Within the task: the fields the intent is not about keep their text.
  if (intent.kind === 'setTaskField') {
    const t = before.taskIndex.get(intent.task)!;
    const now = after.pipeline.taskIndex.get(intent.task)!;
    for (const [key, f] of Object.entries(t.fields)) {
      if (key === intent.field || !f) continue;
      const g: FieldRange | undefined = now.fields[key];
      assert.ok(g, `${key} vanished: ${label}`);
      assert.equal(
        result.text.slice(g.key.start, g.value.end),
        text.slice(f.key.start, f.value.end),
        label,
      );
    }
  }
  // Object targets are never rewritten, by any intent that keeps their task.
  for (const t of before.tasks) {
    if (intent.kind === 'removeTask' && intent.name === t.name) continue;
    for (const x of [...t.inputs, ...t.outputs])
      if (x.kind === 'postgres' || x.kind === 'other')
        assert.ok(
          result.text.includes(text.slice(x.range.start, x.range.end).trimEnd()),
          `object target lost: ${label}`,
        );
  }
  // Whole-line comments stay, unless their task or field was removed.
  const removesText =
    intent.kind === 'removeTask' ||
    (intent.kind === 'setTaskField' &&
      (intent.value === null || (Array.isArray(intent.value) && intent.value.length === 0))) ||
    (intent.kind === 'removeDependency' && before.taskIndex.get(intent.task)?.needs.length === 1);
  if (!removesText)
    assert.deepEqual(
      comments(result.text).filter((c) => comments(text).includes(c)),
      comments(text),
      `comment lost: ${label}`,
    );
  return true;
}

test('fuzz: random intents on every edit fixture change only the intended task', () => {
  const r = rng(13);
  let accepted = 0;
  let tried = 0;
  for (const text of texts) {
    const p = parsePipeline(text).pipeline;
    if (p.tasks.length === 0) continue;
    for (let i = 0; i < 80; i++) {
      tried++;
      if (check(text, randomIntent(r, p))) accepted++;
    }
  }
  // Most intents are possible: a planner that refused everything would pass the checks above.
  assert.ok(accepted > tried * 0.8, `${accepted} of ${tried} accepted`);
  console.log(`${accepted} of ${tried} intents accepted and checked`);
});
