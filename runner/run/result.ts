/** What a finished run hands back to its caller (and to the notifications that subscribe to it). */
import type { RunStatus } from '../../core/run/events';
import type { Plan } from '../../core/run/plan';
import type { RunState } from '../../core/run/state';

export interface RunResult {
  runId: string;
  status: RunStatus;
  state: RunState;
  plan: Plan;
  tails: Map<string, string[]>;
  logDir: string;
  /** Why the run failed before any task started (e.g. a database could not be reached). */
  message?: string;
}
