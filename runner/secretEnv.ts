/**
 * Tributary's own secrets (the SMTP settings and password, the default database URL, whatever
 * VS Code's Secret Storage hands the runner) stay with the runner: a task, its Slurm job or a
 * notify command gets one only when the pipeline asks for it by name (`${env.X}`) or, for the
 * database URL, through a postgres target without a `dsn` (which connects with it).
 */
import type { TaskSpec } from './taskSpec';

/** Names the extension (or a wrapper) declares secret, comma-separated, on top of the fixed ones. */
export const SECRET_LIST_VAR = 'TRIBUTARY_SECRET_VARS';

const FIXED = /^TRIBUTARY_(SMTP_[A-Z_]+|DATABASE_URL)$/;

export function isRunnerSecret(name: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (FIXED.test(name) || name === SECRET_LIST_VAR) return true;
  return (env[SECRET_LIST_VAR] ?? '').split(',').includes(name);
}

/** `env` without the runner's secrets, except those named in `keep`. */
export function withoutSecrets(
  env: NodeJS.ProcessEnv,
  keep: Iterable<string> = [],
): NodeJS.ProcessEnv {
  const kept = new Set(keep);
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (kept.has(k) || !isRunnerSecret(k, env)) out[k] = v;
  return out;
}

/** What a task inherits from the runner's environment (its own `env:` and values go on top). */
export function inheritedEnv(
  spec: TaskSpec,
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return withoutSecrets(env, spec.asksEnv);
}
