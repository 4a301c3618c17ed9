/** The webview's state: the graph from the host, run state from the core reducer, plan, logs, view. */
import type { GraphModel, HostToWebview, PlanStepModel } from '../../core/protocol/webview';
import { assertNever } from '../../core/protocol/webview';
import type { Metrics } from '../../core/run/events';
import type { HistoryRun } from '../../core/run/history';
import { initialRunState, reduceRun, type RunState } from '../../core/run/state';

export interface State {
  version: number;
  graph: GraphModel | null;
  run: RunState | null;
  /** Bumped on every run event so that memoised views notice in-place reducer updates. */
  runTick: number;
  plan: Record<string, PlanStepModel> | null;
  logs: Record<string, string[]>;
  selected: string | null;
  notice: string | null;
  trusted: boolean;
  /** Recent runs for the history panel, newest first; null until asked for. */
  history: HistoryRun[] | null;
}

export const initialState = (selected: string | null): State => ({
  version: 0,
  graph: null,
  run: null,
  runTick: 0,
  plan: null,
  logs: {},
  selected,
  notice: null,
  trusted: true,
  history: null,
});

export type Action =
  HostToWebview | { type: 'local/select'; task: string | null } | { type: 'local/dismiss' };

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
      };
    }
    case 'graph/update':
      return a.version >= s.version ? { ...s, version: a.version, graph: a.graph } : s;
    case 'run/reset':
      return { ...s, run: null, plan: null, runTick: s.runTick + 1 };
    case 'run/event': {
      const run = a.event.event === 'run_started' || !s.run ? initialRunState() : s.run;
      reduceRun(run, a.event);
      return {
        ...s,
        run,
        plan: a.event.event === 'run_started' ? null : s.plan,
        runTick: s.runTick + 1,
      };
    }
    case 'plan/result':
      return {
        ...s,
        plan: Object.fromEntries(a.steps.map((x) => [x.task, x])),
        run: null,
        runTick: s.runTick + 1,
      };
    case 'task/log':
      return { ...s, logs: { ...s.logs, [a.task]: a.lines } };
    case 'selection/set':
    case 'local/select':
      return { ...s, selected: a.task };
    case 'edit/rejected':
      return { ...s, notice: a.reason };
    case 'local/dismiss':
      return { ...s, notice: null };
    case 'history/data':
      return { ...s, history: a.runs };
    default:
      return assertNever(a);
  }
}

export type ViewStatus =
  | 'pending'
  | 'queued'
  | 'running'
  | 'retrying'
  | 'success'
  | 'failed'
  | 'complete'
  | 'upstream_failed'
  | 'cancelled'
  | 'timed_out'
  | 'stale'
  | 'will_run';

export interface NodeStatus {
  status: ViewStatus;
  reason?: string;
  durationMs?: number;
  attempt?: number;
  metrics?: Metrics;
}

/** A task's look: from the current run if there is one, else from the last plan, else pending. */
export function statusOf(s: State, task: string): NodeStatus {
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
        return { status: st.status };
    }
  }
  const p = s.plan?.[task];
  if (p)
    return p.action === 'run'
      ? { status: 'will_run', reason: p.reason }
      : { status: 'complete', reason: p.reason };
  return { status: 'pending' };
}
