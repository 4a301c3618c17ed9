/** A task's own completeness: outputs exist and nothing it depends on changed since its last success. */
import type { Fingerprint } from '../core/run/events';
import type { OwnCheck } from '../core/run/plan';
import type { TaskMemo } from './state/store';
import { fingerprintChanges, globSignature, hash, pathSignature } from './state/fingerprint';
import type { TargetChecker } from './targets/check';
import type { TaskSpec } from './taskSpec';

export function fingerprintOf(
  spec: TaskSpec,
  dir: string,
  upstream: Record<string, string>,
): Fingerprint {
  const inputs: Record<string, string> = {};
  for (const t of spec.inputs) {
    if (t.abs === undefined) continue;
    inputs[t.id] = t.glob ? globSignature(dir, t.id) : pathSignature(t.abs);
  }
  const env = Object.keys(spec.env)
    .sort()
    .map((k) => `${k}=${spec.env[k]}`)
    .join('\n');
  return { command: hash(spec.commandKey), env: hash(env), params: spec.params, inputs, upstream };
}

export function checkTask(
  spec: TaskSpec,
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
  const changes = fingerprintChanges(memo.fingerprint, fingerprint());
  return changes.length > 0
    ? { complete: false, reason: changes.join('; ') }
    : { complete: true, reason: 'complete' };
}
