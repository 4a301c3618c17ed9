/** A task's own completeness: outputs exist and nothing it depends on changed since its last success. */
import type { Fingerprint } from '../core/run/events';
import type { OwnCheck } from '../core/run/plan';
import type { TaskMemo } from './state/store';
import {
  fingerprintChanges,
  globSignature,
  hash,
  pathSignature,
  sameFingerprint,
  sameValues,
} from './state/fingerprint';
import type { TargetChecker } from './targets/check';
import type { CheckSpec } from './taskSpec';

/** One empty record for every fingerprint without inputs (they live in state memos all run). */
const NO_INPUTS: Record<string, string> = Object.freeze({});

/**
 * A hash as its own 16-character string: `slice` of the 40-character digest is a V8 sliced
 * string that keeps the digest alive too (~90 instead of ~32 bytes, twice a task, all run).
 */
const own = (s: string): string => JSON.parse(JSON.stringify(s)) as string;

/** The last env text and its hash: tasks of a pipeline mostly share one env, so one string. */
let lastEnv: [string, string] | undefined;

function envHash(spec: CheckSpec): string {
  const text = envText(spec);
  if (lastEnv?.[0] !== text) lastEnv = [text, own(hash(text))];
  return lastEnv[1];
}

export function fingerprintOf(
  spec: CheckSpec,
  dir: string,
  upstream: Record<string, string>,
  checker?: TargetChecker,
): Fingerprint {
  const inputs: Record<string, string> = spec.inputs.length === 0 ? NO_INPUTS : {};
  for (const t of spec.inputs) {
    if (t.abs === undefined) {
      // HDFS inputs: the length and modification time the checker fetched.
      const sig = checker?.signature?.(t);
      if (sig !== undefined) inputs[t.id] = sig;
      continue;
    }
    inputs[t.id] = t.glob ? globSignature(dir, t.id) : pathSignature(t.abs);
  }
  return {
    command: own(hash(spec.commandKey)),
    env: envHash(spec),
    params: spec.params,
    inputs,
    upstream,
    // Only when set: fingerprints of tasks in the pipeline's folder stay as they were.
    ...(spec.cwdKey !== '.' ? { cwd: spec.cwdKey } : {}),
  };
}

/** The env as written (a `${run.id}` in it is not a change), without the command's value variables. */
function envText(spec: CheckSpec): string {
  return Object.keys(spec.envKey)
    .sort()
    .map((k) => `${k}=${spec.envKey[k]}`)
    .join('\n');
}

/**
 * `sameFingerprint(before, fingerprintOf(spec, dir, upstream))` without making the fingerprint:
 * its inputs and upstream are records keyed by paths and task names, a new object shape per task
 * (10,000 in a no-op re-run). `upstream` gives the stamp of each upstream task by name.
 */
export function unchangedSince(
  before: Fingerprint,
  spec: CheckSpec,
  dir: string,
  upstream: Iterable<[string, string]>,
  checker?: TargetChecker,
): boolean {
  if (before.command !== hash(spec.commandKey) || before.env !== hash(envText(spec))) return false;
  if ((before.cwd ?? '.') !== spec.cwdKey) return false;
  if (!sameValues(before.params, spec.params, true)) return false;
  for (const t of spec.inputs) {
    const sig =
      t.abs === undefined
        ? checker?.signature?.(t)
        : t.glob
          ? globSignature(dir, t.id)
          : pathSignature(t.abs);
    if (sig !== undefined && before.inputs?.[t.id] !== sig) return false;
  }
  for (const [name, stamp] of upstream) if (before.upstream?.[name] !== stamp) return false;
  return true;
}

export function checkTask(
  spec: CheckSpec,
  memo: TaskMemo | undefined,
  fingerprint: () => Fingerprint,
  targets: TargetChecker,
  unchanged?: (before: Fingerprint) => boolean,
): OwnCheck {
  if (spec.outputs.length === 0) return { complete: false, reason: 'no outputs: runs every time' };
  if (memo?.status === 'failed') return { complete: false, reason: 'last attempt failed' };
  if (memo?.status === 'running') return { complete: false, reason: 'last attempt did not finish' };
  const missing = spec.outputs.find((o) => !targets.exists(o));
  if (missing) return { complete: false, reason: `output ${missing.id} missing` };
  if (!memo?.fingerprint)
    return {
      complete: true,
      reason: memo ? 'complete' : 'outputs exist (no earlier run recorded)',
    };
  if (unchanged?.(memo.fingerprint)) return { complete: true, reason: 'complete' };
  const now = fingerprint();
  // The usual answer (nothing changed) without building the list of changes.
  if (sameFingerprint(memo.fingerprint, now)) return { complete: true, reason: 'complete' };
  const changes = fingerprintChanges(memo.fingerprint, now);
  return changes.length > 0
    ? { complete: false, reason: changes.join('; ') }
    : { complete: true, reason: 'complete' };
}
