/**
 * The one protocol between the extension host and the graph webview. The webview never edits
 * text: it sends intents; the host answers with new graphs stamped with the document version.
 */
import type { GraphIntent } from '../edit/intents';
import { TASK_FIELDS } from '../edit/intents';
import type { RunEvent } from '../run/events';
import type { HistoryRun } from '../run/history';
import type { LastStates } from './lastStates';

export type Severity = 'error' | 'warning' | 'info';

export interface NodeDiagnostic {
  severity: Severity;
  code: string;
  message: string;
}

export interface GraphNodeModel {
  id: string;
  kind: 'task' | 'source';
  label: string;
  run?: string;
  description?: string;
  inputs: string[];
  outputs: string[];
  /** The tasks it needs, as written (for the panel; edges carry the same). */
  needs?: string[];
  /** Its `env`, as written (for the panel). */
  env?: Record<string, string>;
  retries?: number;
  timeout?: string;
  /**
   * The items of `inputs`/`outputs` that are objects (a postgres table…), by index in that
   * list, as YAML: the panel shows them read-only and an edit of the file items keeps them.
   */
  objectTargets?: { list: 'inputs' | 'outputs'; index: number; yaml: string }[];
  diagnostics: NodeDiagnostic[];
}

export interface GraphEdgeModel {
  id: string;
  source: string;
  target: string;
  kind: 'needs' | 'data' | 'source';
  /** The file that makes a data edge. */
  label?: string;
  cycle: boolean;
}

export interface GraphModel {
  /** Changes only when node names or edges change: the layout cache key. */
  structureKey: string;
  pipeline: string;
  nodes: GraphNodeModel[];
  edges: GraphEdgeModel[];
  /** Findings not attached to a task (e.g. a schedule), for the problems badge. */
  other: NodeDiagnostic[];
  /** The declared params' names: the toolbar offers "Run with params…" when there are any. */
  params?: string[];
  /** Set while the YAML does not parse: where the first syntax error is (1-based) and how many. */
  syntax?: SyntaxProblem;
}

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
  count: number;
}

export interface PlanStepModel {
  task: string;
  action: 'run' | 'skip';
  reason: string;
}

/**
 * Each partitioned task's state per partition, for the graph's strips: `keys` oldest first, and
 * per task one character per key (same order): `c` complete, `s` stale, `f` failed, `.` never
 * run (compact: a thousand partitions of a task are a thousand characters).
 */
export interface PartitionStrips {
  keys: string[];
  tasks: Record<string, string>;
}

export type HostToWebview =
  /** Sent once, in answer to `ready`: everything the webview shows. */
  | {
      type: 'init';
      version: number;
      graph: GraphModel;
      events: RunEvent[];
      trusted: boolean;
      /** Each task's last state from the run records (shown when no run or plan says otherwise). */
      last?: LastStates;
      /** The layout direction last chosen for this file, if any. */
      direction?: 'RIGHT' | 'DOWN';
    }
  /** Sent when the run records changed (a run finished): each task's last state. */
  | { type: 'status/last'; last: LastStates }
  /** Sent when the document text changed. */
  | { type: 'graph/update'; version: number; graph: GraphModel }
  /** Sent for every event of a run started from this pipeline. */
  | { type: 'run/event'; event: RunEvent }
  /** Sent when a new run starts: previous run state is dropped. */
  | { type: 'run/reset' }
  /**
   * Sent when the runner of a run started here exits: until then Stop is offered, also before
   * its `run_started` (databases reached, a plan made) and for a run refused before it began.
   */
  | { type: 'run/exited' }
  /** Sent in answer to `run/plan`. */
  | { type: 'plan/result'; steps: PlanStepModel[] }
  /** Sent when a plan could not be made (an unreachable database, an unset variable…). */
  | { type: 'plan/error'; message: string }
  /** Sent in answer to `task/showLog`: the log of the run (and attempt) the node's state comes from. */
  | { type: 'task/log'; task: string; lines: string[]; run?: string; attempt?: number }
  /** Sent when the cursor moves into a task in the text editor. */
  | { type: 'selection/set'; task: string | null }
  /** Sent when an intent could not be applied (the reason is shown). */
  | { type: 'edit/rejected'; reason: string }
  /** Sent in answer to `history/request`: the most recent runs, newest first. */
  | { type: 'history/data'; runs: HistoryRun[] }
  /** Sent when the graph opens and after each run of a partitioned pipeline (live states come as `run/event`s). */
  | { type: 'partitions/status'; strips: PartitionStrips };

export type RunMode = 'run' | 'rerun' | 'downstream' | 'upstream';

export type WebviewToHost =
  /** Sent when the webview has loaded and listens. */
  | { type: 'ready' }
  /** A graph edit; `version` is the document version the webview saw. */
  | { type: 'intent'; intent: GraphIntent; version: number }
  | { type: 'run/task'; task: string; mode: RunMode }
  | { type: 'run/all' }
  /** "Run with params…": the host asks for each declared param, then runs the pipeline. */
  | { type: 'run/withParams' }
  | { type: 'run/stop' }
  | { type: 'run/plan' }
  /** "Run partition…": the host asks which partition (the one shown, `partition`, first). */
  | { type: 'run/partition'; task: string; partition?: string }
  /** "Backfill…": the host asks for the range (of the whole pipeline, or up to `task`). */
  | { type: 'run/backfill'; task?: string }
  /** Open the task in the text editor. */
  | { type: 'task/reveal'; task: string }
  | { type: 'task/showLog'; task: string }
  /** Open the whole log of the run the node's state comes from in an editor tab (it follows the file). */
  | { type: 'task/openLog'; task: string }
  | { type: 'selection/changed'; task: string | null }
  /** Sent when the history panel opens, and after each run while it is open. */
  | { type: 'history/request' }
  /** The user chose a layout direction: remembered for this file across reloads. */
  | { type: 'view/direction'; direction: 'RIGHT' | 'DOWN' }
  /** The toolbar's "N problems" (or the YAML error banner) was clicked: show the Problems list. */
  | { type: 'view/problems' };

export function assertNever(x: never): never {
  throw new Error(`unexpected message: ${JSON.stringify(x)}`);
}

const isString = (x: unknown): x is string => typeof x === 'string' && x.length < 10_000;
const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

function isIntent(x: unknown): x is GraphIntent {
  if (!isObject(x)) return false;
  switch (x.kind) {
    case 'addTask':
      return (
        isString(x.name) &&
        isString(x.run) &&
        (x.needs === undefined || (Array.isArray(x.needs) && x.needs.every(isString)))
      );
    case 'removeTask':
      return isString(x.name);
    case 'renameTask':
      return isString(x.from) && isString(x.to);
    case 'addDependency':
    case 'removeDependency':
      return isString(x.task) && isString(x.needs);
    case 'setTaskField':
      return (
        isString(x.task) &&
        (TASK_FIELDS as readonly unknown[]).includes(x.field) &&
        (x.value === null ||
          isString(x.value) ||
          (typeof x.value === 'number' && Number.isFinite(x.value)) ||
          (Array.isArray(x.value) && x.value.every(isString)))
      );
    case 'addSource':
      return isString(x.path);
    default:
      return false;
  }
}

/** Messages from the webview are `unknown` until this guard has checked their shape. */
export function isWebviewToHost(x: unknown): x is WebviewToHost {
  if (!isObject(x)) return false;
  switch (x.type) {
    case 'ready':
    case 'run/all':
    case 'run/withParams':
    case 'run/stop':
    case 'run/plan':
    case 'history/request':
    case 'view/problems':
      return true;
    case 'intent':
      return isIntent(x.intent) && typeof x.version === 'number';
    case 'run/task':
      return (
        isString(x.task) && ['run', 'rerun', 'downstream', 'upstream'].includes(x.mode as string)
      );
    case 'task/reveal':
    case 'task/showLog':
    case 'task/openLog':
      return isString(x.task);
    case 'selection/changed':
      return x.task === null || isString(x.task);
    case 'view/direction':
      return x.direction === 'RIGHT' || x.direction === 'DOWN';
    case 'run/partition':
      return isString(x.task) && (x.partition === undefined || isString(x.partition));
    case 'run/backfill':
      return x.task === undefined || isString(x.task);
    default:
      return false;
  }
}

/** The task names a message refers to: the host checks each against the pipeline's tasks. */
export function tasksNamed(m: WebviewToHost): string[] {
  switch (m.type) {
    case 'run/task':
    case 'task/reveal':
    case 'task/showLog':
    case 'task/openLog':
    case 'run/partition':
      return [m.task];
    case 'run/backfill':
      return m.task === undefined ? [] : [m.task];
    case 'selection/changed':
      return m.task === null ? [] : [m.task];
    case 'intent': {
      const i = m.intent;
      switch (i.kind) {
        case 'addTask':
          return i.needs ?? [];
        case 'removeTask':
          return [i.name];
        case 'renameTask':
          return [i.from];
        case 'addDependency':
          return [i.task, i.needs];
        case 'removeDependency':
          // A dangling `needs` entry (an unknown task) may be removed.
          return [i.task];
        case 'setTaskField':
          return [i.task];
        case 'addSource':
          return [];
      }
      return [];
    }
    case 'ready':
    case 'run/all':
    case 'run/withParams':
    case 'run/stop':
    case 'run/plan':
    case 'history/request':
    case 'view/direction':
    case 'view/problems':
      return [];
  }
}
