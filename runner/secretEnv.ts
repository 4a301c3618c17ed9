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

/** Shorter values are left alone: masking `1` or `587` would garble every line that holds one. */
const MIN_MASKED = 4;

/** The parts of `value` that are secret: a URL's password (raw and decoded), else the whole value. */
function secretParts(value: string): string[] {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    try {
      const pw = new URL(value).password;
      // A URL without a password (smtp://robot@host) names a server and a user: nothing to hide.
      return pw ? [pw, decodeURIComponent(pw)] : [];
    } catch {
      // not a URL after all: the whole value
    }
  }
  return [value];
}

/** The strings Tributary never repeats: each runner secret's value, longest first. */
export function secretValues(env: NodeJS.ProcessEnv = process.env): string[] {
  const found = new Set<string>();
  for (const [k, v] of Object.entries(env)) {
    if (!v || k === SECRET_LIST_VAR || !isRunnerSecret(k, env)) continue;
    // TRIBUTARY_SMTP_HOST/_PORT/_USER/_TLS/_FROM are settings, not secrets.
    if (/^TRIBUTARY_SMTP_(HOST|PORT|USER|TLS|FROM)$/.test(k)) continue;
    for (const s of secretParts(v)) if (s.length >= MIN_MASKED) found.add(s);
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** `text` with every runner secret replaced by `***` (what a task printed, an error line…). */
export function maskSecrets(text: string, secrets: string[] = secretValues()): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join('***');
  return out;
}

/** Every string inside `x` (a summary, an event) masked; the shape is unchanged. */
export function maskDeep<T>(x: T, secrets: string[] = secretValues()): T {
  if (secrets.length === 0) return x;
  if (typeof x === 'string') return maskSecrets(x, secrets) as T;
  if (Array.isArray(x)) return x.map((v: unknown) => maskDeep(v, secrets)) as T;
  if (x && typeof x === 'object')
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, maskDeep(v, secrets)])) as T;
  return x;
}
