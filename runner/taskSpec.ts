/**
 * A task made concrete for one run: folder, environment and targets with `${...}` filled in, and
 * a command in which every `${...}` is a quoted reference to an environment variable holding the
 * value (core/shell/shellCommand.ts), so no value is ever parsed by the shell.
 */
import * as path from 'node:path';
import {
  findReferences,
  findTemplateParts,
  interpolate,
  lookupReference,
  type InterpolationContext,
  type Reference,
  refLabel,
} from '../core/interpolate';
import { whereQuery } from '../core/sql/whereQuery';
import { type ShellCommand, shellCommand } from '../core/shell/shellCommand';
import type { Pipeline, Target, Task } from '../core/model';
import { hdfsTargetId } from '../core/graph/hdfsTarget';
import { isGlob, normalizePath } from '../core/paths';

export interface ConcreteTarget {
  target: Target;
  /** Path relative to the pipeline folder (normalised), `postgres:<table>` or an HDFS URL. */
  id: string;
  /** Absolute path for path targets. */
  abs?: string;
  glob: boolean;
  /** The DSN for a postgres target, with `${env.X}` filled in. */
  dsn?: string;
  /** The `where` condition of a postgres target, with `$1`-style placeholders for its `${…}`. */
  where?: string;
  /** The placeholders' values. */
  whereValues?: string[];
  /** Why the `where` cannot be asked (for example a `;`): the check refuses it with this line. */
  whereError?: string;
}

export interface TaskSpec {
  name: string;
  /** What the shell runs: references are `"${TRIBUTARY_V_…}"`, their values are in `env`. */
  command: string;
  /** The command with `${run.id}`/`${trigger.file}` left as written: what the fingerprint hashes. */
  commandKey: string;
  cwd: string;
  /** The folder as written in the pipeline, `${run.id}`/`${trigger.file}` left as written (fingerprint). */
  cwdKey: string;
  /** The task's own variables (pipeline and task `env:`) plus the values the command refers to. */
  env: Record<string, string>;
  /** The task's own variables with `${run.id}`/`${trigger.file}` left as written: what the fingerprint hashes. */
  envKey: Record<string, string>;
  /** References in the command that stand where no value can be filled safely (validation reports them). */
  unsafe: string[];
  params: Record<string, string>;
  inputs: ConcreteTarget[];
  outputs: ConcreteTarget[];
  retries: number;
  retryDelayMs: number;
  timeoutMs?: number;
  executor: 'local' | 'slurm';
  /** Environment variables the task asks for by name (`${env.X}`), plus the default database URL
   * when a postgres target has no `dsn`: the only runner secrets it inherits (runner/secretEnv.ts). */
  asksEnv: string[];
  /** `ns.name` references with no value (for example an unset environment variable). */
  missing: string[];
  /** The command, cwd or env mention `${trigger.file}`: a triggered run always runs it. */
  usesTrigger: boolean;
}

export interface SpecContext {
  dir: string;
  params: Record<string, string>;
  env: NodeJS.ProcessEnv;
  runId?: string;
  triggerFile?: string;
  /** What fills `${partition}`, `${partition.start}`, `${partition.end}` in the command. */
  partition?: Readonly<Record<string, string>>;
  /** Shared by the instances of one partitioned task: what does not depend on the partition. */
  memo?: SpecMemo;
}

/** The parts of a spec that are the same in every partition (computed once per task, not 11,000 times). */
export interface SpecMemo {
  shell?: ShellCommand;
  commandKey?: string;
  cwdKey?: string;
  envKey?: Record<string, string>;
  params?: Record<string, string>;
  asksEnv?: string[];
  usesTrigger?: boolean;
}

function usedParams(task: Task, params: Record<string, string>): Record<string, string> {
  const texts = [
    task.run ?? '',
    task.cwd ?? '',
    ...Object.values(task.env),
    ...[...task.inputs, ...task.outputs].map((t) =>
      t.kind === 'path'
        ? t.path
        : t.kind === 'hdfs'
          ? t.url
          : t.kind === 'postgres'
            ? `${t.table} ${t.where ?? ''}`
            : '',
    ),
  ];
  const used: Record<string, string> = {};
  for (const text of texts)
    for (const r of findReferences(text))
      if (r.ns === 'params' && params[r.name] !== undefined)
        used[r.name] = params[r.name] as string;
  // Most tasks use no param: one shared empty record (it is kept in each fingerprint all run).
  for (const _ in used) return used;
  return NO_PARAMS;
}

const NO_PARAMS: Record<string, string> = Object.freeze({});

function concrete(
  t: Target,
  dir: string,
  fill: (s: string) => string,
  valueOf: (ref: Reference) => string | undefined,
): ConcreteTarget {
  if (t.kind === 'path') {
    const id = normalizePath(fill(t.path));
    return { target: t, id, abs: path.resolve(dir, id), glob: isGlob(id) };
  }
  if (t.kind === 'hdfs') return { target: t, id: hdfsTargetId(fill(t.url)), glob: false };
  if (t.kind === 'postgres') {
    const table = fill(t.table);
    return {
      target: t,
      id: `postgres:${table}`,
      glob: false,
      ...(t.dsn !== undefined ? { dsn: fill(t.dsn) } : {}),
      ...(t.where !== undefined ? whereOf(t.where, valueOf) : {}),
    };
  }
  return { target: t, id: `${t.type}:?`, glob: false };
}

function asksEnv(p: Pipeline, task: Task): string[] {
  const texts = [task.run ?? '', task.cwd ?? '', ...Object.values({ ...p.env, ...task.env })];
  const names = new Set<string>();
  for (const t of [...task.inputs, ...task.outputs]) {
    if (t.kind !== 'postgres') continue;
    texts.push(t.table, t.dsn ?? '', t.where ?? '');
    if (!t.dsn) names.add('TRIBUTARY_DATABASE_URL');
  }
  for (const text of texts)
    for (const r of findReferences(text)) if (r.ns === 'env') names.add(r.name);
  return [...names];
}

/** The `where` as one parameterised condition: a value never becomes SQL (core/sql/whereQuery.ts). */
function whereOf(
  where: string,
  valueOf: (ref: Reference) => string | undefined,
): Pick<ConcreteTarget, 'where' | 'whereValues' | 'whereError'> {
  const q = whereQuery(where, valueOf);
  return q.error
    ? { where, whereValues: [], whereError: q.error }
    : { where: q.text, whereValues: q.values };
}

/**
 * `${partition…}` in paths, folders and env values (core's `interpolate` leaves them as written so
 * that a pipeline's graph keeps one templated path per task); `$${partition}` stays literal.
 */
function fillPartition(text: string, values: SpecContext['partition']): string {
  if (!values || !text.includes('${')) return text;
  let out = '';
  let at = 0;
  for (const part of findTemplateParts(text)) {
    if (part.ref?.ns !== 'partition') continue;
    const value = values[refLabel(part.ref)];
    if (value === undefined) continue;
    out += text.slice(at, part.start) + value;
    at = part.end;
  }
  return out + text.slice(at);
}

/**
 * What deciding a task's completeness needs: its targets and the keys its fingerprint hashes.
 * A no-op run of 10,000 tasks needs only this: no shell parse of the command, no environment
 * filled in (bench/runnerScale.mjs).
 */
export type CheckSpec = Pick<
  TaskSpec,
  'name' | 'commandKey' | 'cwdKey' | 'envKey' | 'params' | 'inputs' | 'outputs' | 'usesTrigger'
>;

interface Filler {
  /** References that had no value. */
  missing: Set<string>;
  /** What the fingerprint's keys are made with: no run id, trigger file or partition (made on first use). */
  base: () => InterpolationContext;
  /** The task's declared `env:` (pipeline's, then its own) as the keys see it (made on first use). */
  envBase: () => Record<string, string>;
  /** The same, filled for this run (run id, trigger file, partition; made on first use). */
  envFull: () => Record<string, string>;
  fill: (s: string) => string;
  valueOf: (ref: Reference) => string | undefined;
}

type Env = InterpolationContext['env'];

/**
 * The environment `${env.X}` reads: the pipeline's `env:` over the process's, the task's over
 * that, as `$X` is in the task's shell. A pipeline value is filled from the process's env
 * (`PATH: "${env.PATH}:/opt/bin"`), a task's from the pipeline's too. Layered by prototype so
 * that a task copies only what it declares.
 */
function declaredEnv(
  p: Pipeline,
  task: Task,
  under: InterpolationContext,
  prepare: (s: string) => string,
  missing?: Set<string>,
): { env: Env; own: Record<string, string> } {
  const own: Record<string, string> = {};
  let env: Env = under.env;
  for (const level of [p.env, task.env]) {
    const entries = Object.entries(level);
    if (entries.length === 0) continue;
    const ctx = { ...under, env };
    const next = Object.create(env ?? null) as Record<string, string | undefined>;
    for (const [k, v] of entries) {
      const r = interpolate(prepare(v), ctx);
      if (missing) for (const m of r.missing) missing.add(m);
      next[k] = own[k] = r.value;
    }
    env = next;
  }
  return { env, own };
}

/** The interpolation of one task: what `${...}` becomes, and which references had no value. */
function filler(p: Pipeline, task: Task, ctx: SpecContext): Filler {
  const missing = new Set<string>();
  // `${task.name}` of an instance `extract@2024-01-31` is the task's name, `extract`.
  const name = task.name.includes('@') ? task.name.slice(0, task.name.indexOf('@')) : task.name;
  const processBase: InterpolationContext = { params: ctx.params, env: ctx.env, task: name };
  const processFull: InterpolationContext = {
    ...processBase,
    ...(ctx.runId ? { runId: ctx.runId } : {}),
    ...(ctx.triggerFile !== undefined ? { triggerFile: ctx.triggerFile } : {}),
    ...(ctx.partition ? { partition: ctx.partition } : {}),
  };
  // Each made when first asked: the memo keeps the keys of a task's 11,000 instances, and most
  // targets hold no `${…}` left to fill (bench/runnerScale.mjs).
  let b: { env: Env; own: Record<string, string> } | undefined;
  let f: { env: Env; own: Record<string, string> } | undefined;
  let base: InterpolationContext | undefined;
  let full: InterpolationContext | undefined;
  const baseEnv = () => (b ??= declaredEnv(p, task, processBase, (s) => s));
  const fullEnv = () =>
    (f ??= declaredEnv(p, task, processFull, (s) => fillPartition(s, ctx.partition), missing));
  const fullContext = () => (full ??= { ...processFull, env: fullEnv().env });
  const fill = (s: string): string => {
    const text = fillPartition(s, ctx.partition);
    if (!text.includes('${')) return text;
    const r = interpolate(text, fullContext());
    for (const m of r.missing) missing.add(m);
    return r.value;
  };
  const valueOf = (ref: Reference): string | undefined => {
    const value = lookupReference(ref, fullContext());
    if (value === undefined) missing.add(refLabel(ref));
    return value;
  };
  return {
    missing,
    base: () => (base ??= { ...processBase, env: baseEnv().env }),
    envBase: () => baseEnv().own,
    envFull: () => fullEnv().own,
    fill,
    valueOf,
  };
}

export function resolveCheckSpec(p: Pipeline, task: Task, ctx: SpecContext): CheckSpec {
  const { base, envBase, fill, valueOf } = filler(p, task, ctx);
  const memo = ctx.memo ?? {};
  memo.envKey ??= envBase();
  return {
    name: task.name,
    ...keysOf(task, ctx, memo, base),
    envKey: memo.envKey,
    inputs: task.inputs.map((t) => concrete(t, ctx.dir, fill, valueOf)),
    outputs: task.outputs.map((t) => concrete(t, ctx.dir, fill, valueOf)),
  };
}

/** The parts that are the same in every partition of a task (kept in `memo`). */
function keysOf(
  task: Task,
  ctx: SpecContext,
  memo: SpecMemo,
  base: () => InterpolationContext,
): Pick<TaskSpec, 'commandKey' | 'cwdKey' | 'params' | 'usesTrigger'> {
  return {
    commandKey: (memo.commandKey ??= interpolate(task.run ?? '', base()).value),
    cwdKey: (memo.cwdKey ??=
      task.cwd !== undefined ? normalizePath(interpolate(task.cwd, base()).value) : '.'),
    params: (memo.params ??= usedParams(task, ctx.params)),
    usesTrigger: (memo.usesTrigger ??= [
      task.run ?? '',
      task.cwd ?? '',
      ...Object.values(task.env),
    ].some((text) => findReferences(text).some((r) => r.ns === 'trigger'))),
  };
}

export function resolveTaskSpec(p: Pipeline, task: Task, ctx: SpecContext): TaskSpec {
  const { missing, base, envBase, envFull, fill, valueOf } = filler(p, task, ctx);
  const memo = ctx.memo ?? {};
  const env: Record<string, string> = { ...envFull() };
  memo.envKey ??= envBase();
  const shell = (memo.shell ??= shellCommand(task.run ?? ''));
  for (const [name, ref] of Object.entries(shell.vars)) env[name] = valueOf(ref) ?? '';
  const cwd = path.resolve(ctx.dir, task.cwd !== undefined ? fill(task.cwd) : '.');
  return {
    name: task.name,
    command: shell.command,
    ...keysOf(task, ctx, memo, base),
    cwd,
    env,
    envKey: memo.envKey ?? {},
    unsafe: shell.problems.map((pr) => pr.message),
    inputs: task.inputs.map((t) => concrete(t, ctx.dir, fill, valueOf)),
    outputs: task.outputs.map((t) => concrete(t, ctx.dir, fill, valueOf)),
    retries: task.retries ?? p.defaults.retries ?? 0,
    retryDelayMs: task.retryDelayMs ?? p.defaults.retryDelayMs ?? 5000,
    ...((task.timeoutMs ?? p.defaults.timeoutMs)
      ? { timeoutMs: (task.timeoutMs ?? p.defaults.timeoutMs) as number }
      : {}),
    executor: task.executor ?? p.defaults.executor ?? 'local',
    missing: [...missing],
    asksEnv: (memo.asksEnv ??= asksEnv(p, task)),
  };
}
