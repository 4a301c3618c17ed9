/**
 * One attempt of one task: its environment, log file and executor; after it ends, the checks that
 * turn an exit code into a result (database outputs, metrics). Retries are the scheduler's job.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { splitInstanceId } from '../../core/partitions/expand';
import type { Metrics } from '../../core/run/events';
import { LocalExecutor } from '../executors/local';
import type { AttemptResult, Executor, RunningAttempt } from '../executors/types';
import { metricsFile, readMetrics } from '../metrics';
import type { TargetChecker } from '../targets/check';
import { TaskOutput } from '../taskOutput';
import { inheritedEnv, secretValues } from '../secretEnv';
import type { TaskSpec } from '../taskSpec';
import type { EngineOptions } from './options';

export interface AttemptOutcome extends AttemptResult {
  metrics?: Metrics;
}

export interface StartedAttempt {
  /** Stops the attempt: TERM then KILL after the grace period, or KILL at once with `force`. */
  cancel(force?: boolean): void;
  /** Settles once the attempt's processes are gone and its outputs were checked. */
  outcome: Promise<AttemptOutcome>;
  /** The last lines of its output (for summaries), once `outcome` settled. */
  tail(): string[];
}

export interface AttemptContext {
  runId: string;
  pipelineName: string;
  /** The pipeline's folder (messages name paths relative to it). */
  dir: string;
  /** `.tributary/logs`. */
  logRoot: string;
  checker: TargetChecker;
  o: EngineOptions;
  /** The runner's environment without its secrets, made once per run (most tasks ask for none). */
  inherited?: NodeJS.ProcessEnv;
  /** A task log could not be written: said once per run. */
  logErrorSaid?: boolean;
  /** The runner's secret values, masked in what tasks print (found once per run). */
  secrets?: string[];
}

function missingMessage(missing: string[]): string {
  return missing
    .map((m) =>
      m.startsWith('env.')
        ? `environment variable ${m.slice(4)} is not set`
        : `\${${m}} has no value in this run`,
    )
    .join('; ');
}

export function executorFor(spec: TaskSpec, o: EngineOptions): Executor {
  const name = o.executorName ?? spec.executor;
  const ex =
    o.executors?.[name] ?? (name === 'local' ? (o.executor ?? new LocalExecutor()) : undefined);
  if (!ex) throw new Error(`the ${name} executor is not available`);
  return ex;
}

/** Why the attempt cannot start at all, said in the user's terms; undefined if it can. */
function cannotStart(spec: TaskSpec, executor: Executor, dir: string): string | undefined {
  if (spec.missing.length > 0) return missingMessage(spec.missing);
  // Validation refuses these first (unsafe-interpolation); never run a command left without its values.
  if (spec.unsafe.length > 0) return spec.unsafe.join('; ');
  // A local shell in a missing folder fails as "could not start the shell": name the folder instead.
  if (
    executor.name === 'local' &&
    !fs.statSync(spec.cwd, { throwIfNoEntry: false })?.isDirectory()
  ) {
    const rel = path.relative(dir, spec.cwd);
    return `cwd ${rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : spec.cwd} does not exist`;
  }
  return undefined;
}

/** Database outputs are asked again once their task has finished. */
async function checkDbOutputs(spec: TaskSpec, checker: TargetChecker): Promise<string | undefined> {
  const db = spec.outputs.filter((t) => t.abs === undefined);
  if (db.length === 0) return undefined;
  try {
    await checker.prepare(db);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export function startAttempt(
  spec: TaskSpec,
  attempt: number,
  executor: Executor,
  c: AttemptContext,
): StartedAttempt {
  const log = path.join(c.logRoot, c.runId, `${spec.name}.log`);
  const output = new TaskOutput(
    log,
    (line, stream) => c.o.onOutput?.(spec.name, line, stream),
    undefined,
    { n: attempt, of: spec.retries + 1, at: new Date() },
    (e) => {
      if (c.logErrorSaid) return;
      c.logErrorSaid = true;
      const where = path.relative(c.dir, path.join(c.logRoot, c.runId)) || c.logRoot;
      c.o.warn?.(
        `cannot write the task logs in ${where} (${e.code ?? e.message}): output is shown but not kept`,
      );
    },
    (c.secrets ??= secretValues()),
  );
  const metrics = metricsFile(path.dirname(c.logRoot), c.runId, spec.name, attempt);
  const env = {
    ...(spec.asksEnv.length > 0 ? inheritedEnv(spec) : (c.inherited ??= inheritedEnv(spec))),
    ...spec.env,
    TRIBUTARY_PIPELINE: c.pipelineName,
    // An instance `task@KEY` of a partitioned task: the task's name, and the key on its own.
    TRIBUTARY_TASK: splitInstanceId(spec.name).task,
    ...(spec.name.includes('@')
      ? { TRIBUTARY_PARTITION: splitInstanceId(spec.name).partition }
      : {}),
    TRIBUTARY_RUN_ID: c.runId,
    TRIBUTARY_ATTEMPT: String(attempt),
    TRIBUTARY_METRICS: metrics,
  };
  const refused = cannotStart(spec, executor, c.dir);
  const running: RunningAttempt = refused
    ? {
        done: Promise.resolve({ status: 'failed', exitCode: null, message: refused }),
        cancel: () => {},
      }
    : executor.start({
        task: spec.name,
        command: spec.command,
        cwd: spec.cwd,
        env,
        log,
        ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
        onOutput: (s, chunk) => output.write(s, chunk),
        runSignals: { cancel: c.o.signal, kill: c.o.killSignal },
      });
  const outcome = running.done.then(async (r): Promise<AttemptOutcome> => {
    output.end();
    const dbError = r.status === 'success' ? await checkDbOutputs(spec, c.checker) : undefined;
    if (dbError) return { status: 'failed', exitCode: r.exitCode, message: dbError };
    if (r.status !== 'success') return r;
    const read = readMetrics(metrics);
    if (read.problem) c.o.warn?.(`${spec.name}: ${read.problem}`);
    return read.metrics ? { ...r, metrics: read.metrics } : r;
  });
  return {
    cancel: (force) => running.cancel(force),
    outcome,
    tail: () => output.tail,
  };
}
