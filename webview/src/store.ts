/** The webview's state: the graph from the host, run state from the core reducer, plan, logs, view. */
import type { GraphModel, HostToWebview, PlanStepModel } from '../../core/protocol/webview';
import { assertNever } from '../../core/protocol/webview';
import type { LastStates } from '../../core/protocol/lastStates';
import type { NodeStatus, ViewStatus } from './nodeStatus';
import { type HistoryRun, notStartedReason } from '../../core/run/history';
import { initialRunState, reduceRun, type RunState } from '../../core/run/state';
import {
  applyEvent,
  fromStrips,
  partitionNodeStatus,
  type PartitionView,
} from './partitions/model';

export interface State {
  version: number;
  graph: GraphModel | null;
  run: RunState | null;
  /** Bumped on every run event so that memoised views notice in-place reducer updates. */
  runTick: number;
  plan: Record<string, PlanStepModel> | null;
  /** Why the last plan could not be made, until dismissed or a new plan or run. */
  planError: string | null;
  /** Each task's last state from the run records: what a node shows when no run or plan speaks. */
  last: LastStates;
  logs: Record<string, string[]>;
  selected: string | null;
  notice: string | null;
  trusted: boolean;
  /** The direction the host remembers for this file (chosen in an earlier session). */
  direction: 'RIGHT' | 'DOWN' | null;
  /** Recent runs for the history panel, newest first; null until asked for. */
  history: HistoryRun[] | null;
  /** A past run chosen in the History panel: the graph is coloured by it until cleared. */
  shownRun: HistoryRun | null;
  /** Partitioned tasks' states per partition (null: the pipeline has no partitions). */
  partitions: PartitionView | null;
  /** A run was started here and has not said `run_started` yet (its runner is reaching targets, planning). */
  starting: boolean;
}

export const initialState = (selected: string | null): State => ({
  version: 0,
  graph: null,
  run: null,
  runTick: 0,
  plan: null,
  planError: null,
  last: {},
  logs: {},
  selected,
  notice: null,
  trusted: true,
  direction: null,
  history: null,
  shownRun: null,
  partitions: null,
  starting: false,
});

export type Action =
  | HostToWebview
  | { type: 'local/select'; task: string | null }
  | { type: 'local/dismiss' }
  | { type: 'local/clearPlan' }
  | { type: 'local/showRun'; run: HistoryRun | null }
  | { type: 'local/pickPartition'; key: string | null };

export function reduce(s: State, a: Action): State {
  switch (a.type) {
    case 'init': {
      const run = a.events.length
        ? a.events.reduce((r, e) => reduceRun(r, e), initialRunState())
        : null;
      return {
        ...s,
        version: a.version,
        graph: a.graph,
        run,
        runTick: s.runTick + 1,
        trusted: a.trusted,
        last: a.last ?? {},
        direction: a.direction ?? null,
      };
    }
    case 'status/last':
      return { ...s, last: a.last, runTick: s.runTick + 1 };
    case 'graph/update':
      return a.version >= s.version ? { ...s, version: a.version, graph: a.graph } : s;
    case 'run/reset':
      return {
        ...s,
        run: null,
        plan: null,
        planError: null,
        starting: true,
        runTick: s.runTick + 1,
      };
    case 'run/exited':
      return s.starting ? { ...s, starting: false } : s;
    case 'run/event': {
      const started = a.event.event === 'run_started';
      const run = started || !s.run ? initialRunState() : s.run;
      reduceRun(run, a.event);
      if (s.partitions) applyEvent(s.partitions, a.event);
      return {
        ...s,
        run,
        starting: false,
        plan: started ? null : s.plan,
        planError: started ? null : s.planError,
        // A new run: a log shown from the last one is no longer the node's.
        logs: started ? staleLogs(s.logs, a.event.run) : s.logs,
        runTick: s.runTick + 1,
      };
    }
    case 'plan/result':
      return {
        ...s,
        plan: Object.fromEntries(a.steps.map((x) => [x.task, x])),
        planError: null,
        run: null,
        runTick: s.runTick + 1,
      };
    case 'plan/error':
      return { ...s, planError: a.message, plan: null, runTick: s.runTick + 1 };
    case 'local/showRun':
      return { ...s, shownRun: a.run, runTick: s.runTick + 1 };
    case 'local/clearPlan':
      return { ...s, plan: null, planError: null, runTick: s.runTick + 1 };
    case 'task/log':
      return { ...s, logs: { ...s.logs, [a.task]: a.lines } };
    case 'selection/set':
    case 'local/select':
      return { ...s, selected: a.task };
    case 'edit/rejected':
      return { ...s, notice: a.reason };
    case 'local/dismiss':
      return s.notice === null ? s : { ...s, notice: null };
    case 'history/data':
      return { ...s, history: a.runs };
    case 'partitions/status':
      return { ...s, partitions: fromStrips(a.strips, s.partitions), runTick: s.runTick + 1 };
    case 'local/pickPartition':
      return s.partitions
        ? { ...s, partitions: { ...s.partitions, picked: a.key }, runTick: s.runTick + 1 }
        : s;
    default:
      return assertNever(a);
  }
}

const PAST: Record<string, ViewStatus> = {
  success: 'success',
  failed: 'failed',
  timed_out: 'timed_out',
  cancelled: 'cancelled',
  running: 'cancelled',
  retrying: 'cancelled',
  upstream_failed: 'upstream_failed',
  complete: 'complete',
};

/** A task as it was in a past run (the History panel's chosen run). */
function pastStatus(run: HistoryRun, task: string): NodeStatus {
  const t = run.tasks.find((x) => x.task === task);
  if (!t && run.upstream_failed?.includes(task))
    return { status: 'upstream_failed', reason: `run ${run.id}: upstream failed`, run: run.id };
  if (!t && run.complete?.includes(task))
    return { status: 'complete', reason: `run ${run.id}: already complete`, run: run.id };
  // Planned but never reached: the run was cancelled or killed first (not "never run").
  if (!t && run.not_started?.includes(task))
    return {
      status: 'cancelled',
      reason: `run ${run.id}: not started (${notStartedReason(run.status)})`,
      run: run.id,
    };
  if (!t) return { status: 'pending', reason: `did not run in ${run.id}`, run: run.id };
  return {
    status: PAST[t.status] ?? 'pending',
    reason: `run ${run.id}: ${t.status}`,
    run: run.id,
    attempt: t.attempts,
    ...(t.duration_ms !== null ? { durationMs: t.duration_ms } : {}),
  };
}

/** Logs shown before run `run` started: replaced by a line saying the new run's log follows. */
function staleLogs(logs: Record<string, string[]>, run: string): Record<string, string[]> {
  return Object.fromEntries(
    Object.keys(logs).map((t) => [t, [`(run ${run} started: its log shows when ${t} finishes)`]]),
  );
}

export type { NodeStatus, ViewStatus } from './nodeStatus';

/** A task's look: from the current run if there is one, else from the last plan, else pending. */
export function statusOf(s: State, task: string): NodeStatus {
  if (s.shownRun) return pastStatus(s.shownRun, task);
  // A partitioned task shows the picked (else the latest) partition's state.
  const part = partitionNodeStatus(s.partitions, task);
  if (part) return part;
  const r = s.run?.tasks[task];
  if (r) {
    const st = r.state;
    switch (st.status) {
      case 'success':
        return {
          status: 'success',
          durationMs: st.durationMs,
          attempt: st.attempt,
          ...(st.metrics ? { metrics: st.metrics } : {}),
        };
      case 'failed':
      case 'timed_out':
      case 'cancelled':
        return {
          status: st.status,
          durationMs: st.durationMs,
          attempt: st.attempt,
          ...(st.message ? { reason: st.message } : {}),
        };
      case 'complete':
      case 'upstream_failed':
        return { status: st.status, reason: st.reason };
      case 'running':
        return { status: 'running', attempt: st.attempt };
      case 'retrying':
        return { status: 'retrying', attempt: st.attempt, reason: st.reason };
      case 'queued':
      case 'pending':
        // The run is over and this task never started: not "pending" (waiting), but not run.
        return s.run && s.run.status !== 'running'
          ? { status: 'pending', words: 'not run', reason: `not run: the run was ${s.run.status}` }
          : { status: st.status };
    }
  }
  const p = s.plan?.[task];
  if (p)
    return p.action === 'run'
      ? { status: 'will_run', reason: p.reason }
      : { status: 'complete', reason: p.reason };
  const l = s.last[task];
  if (l) {
    const when = l.finished ? ` (${new Date(l.finished).toLocaleString()})` : '';
    return {
      status: l.status === 'interrupted' ? 'cancelled' : l.status,
      reason: `last run ${l.run}${when}${l.message ? `: ${l.message}` : ''}`,
      run: l.run,
      ...(l.attempt ? { attempt: l.attempt } : {}),
      ...(l.durationMs !== undefined ? { durationMs: l.durationMs } : {}),
      ...(l.metrics ? { metrics: l.metrics } : {}),
    };
  }
  // Nothing speaks of it: while a run goes it may be waiting its turn; otherwise "pending" would
  // say it waits for something.
  return s.run?.status === 'running'
    ? { status: 'pending' }
    : { status: 'pending', words: 'never run' };
}
