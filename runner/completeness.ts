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
} from './state/fingerprint';
import type { TargetChecker } from './targets/check';
import type { CheckSpec } from './taskSpec';

export function fingerprintOf(
  spec: CheckSpec,
  dir: string,
  upstream: Record<string, string>,
  checker?: TargetChecker,
): Fingerprint {
  const inputs: Record<string, string> = {};
  for (const t of spec.inputs) {
    if (t.abs === undefined) {
      // HDFS inputs: the length and modification time the checker fetched.
      const sig = checker?.signature?.(t);
      if (sig !== undefined) inputs[t.id] = sig;
      continue;
    }
    inputs[t.id] = t.glob ? globSignature(dir, t.id) : pathSignature(t.abs);
  }
  // The env as written (a `${run.id}` in it is not a change), without the command's value variables.
  const env = Object.keys(spec.envKey)
    .sort()
    .map((k) => `${k}=${spec.envKey[k]}`)
    .join('\n');
  return {
    command: hash(spec.commandKey),
    env: hash(env),
    params: spec.params,
    inputs,
    upstream,
    // Only when set: fingerprints of tasks in the pipeline's folder stay as they were.
    ...(spec.cwdKey !== '.' ? { cwd: spec.cwdKey } : {}),
  };
}

export function checkTask(
  spec: CheckSpec,
  memo: TaskMemo | undefined,
  fingerprint: () => Fingerprint,
  targets: TargetChecker,
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
  const now = fingerprint();
  // The usual answer (nothing changed) without building the list of changes.
  if (sameFingerprint(memo.fingerprint, now)) return { complete: true, reason: 'complete' };
  const changes = fingerprintChanges(memo.fingerprint, now);
  return changes.length > 0
    ? { complete: false, reason: changes.join('; ') }
    : { complete: true, reason: 'complete' };
}
