/** Reading `inputs`, `outputs` and `sources` lists: paths or one-key target objects. */
import { isMap, isScalar, isSeq } from 'yaml';
import type { Target } from '../model';
import { POSTGRES_KEYS } from '../schema/spec';
import { hdfsTargetProblem, isHdfsTarget } from '../graph/hdfsTarget';
import { type AnyNode, keyName, type Reader, spanOf } from './nodes';

/** `scheme://user:secret@` where the secret is written out rather than `${env.X}`. */
const LITERAL_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:(?!\$\{)[^@\s]+@/i;

export function readTargets(r: Reader, node: AnyNode, what: string): Target[] {
  const n = r.deref(node);
  if (isScalar(n) && n.value === null) return [];
  const items = isSeq(n) ? n.items : isScalar(n) ? [n] : undefined;
  if (!items) {
    r.schemaError(node, `${what} must be a list of paths or targets`);
    return [];
  }
  const out: Target[] = [];
  const outputs = what.endsWith('.outputs');
  for (const raw of items) {
    const t = readTarget(r, raw as AnyNode, what, outputs);
    if (t?.kind === 'path' && outputs) checkOutputPath(r, raw as AnyNode, t.path);
    if (t) out.push(t);
  }
  return out;
}

/**
 * Wildcards of a glob, once `${…}` references are set aside (their braces are not a glob).
 * Not `[…]`: the runner checks an output as written, so `report[2024].csv` is a file it finds.
 */
const WILDCARD = /[*?]|\{[^}]*,[^}]*\}/;

/**
 * An output must name what the task makes: a glob output can never be found as written, so
 * every run failed with "did not create its output" (globs belong in inputs and sources).
 */
function checkOutputPath(r: Reader, node: AnyNode, path: string): void {
  const plain = path.replace(/\$\{[^}]*\}/g, 'x');
  if (!WILDCARD.test(plain)) return;
  const parts = path.split('/');
  const firstGlob = parts.findIndex((part) => WILDCARD.test(part.replace(/\$\{[^}]*\}/g, 'x')));
  const folder = parts.slice(0, firstGlob).join('/');
  const hint = folder
    ? `declare the folder '${folder}/' instead`
    : 'declare the folder it fills instead';
  r.schemaError(
    node,
    `an output cannot be a glob ('${path}'): name the file, or ${hint} (globs are for inputs and sources)`,
  );
}

function readTarget(r: Reader, node: AnyNode, what: string, output: boolean): Target | undefined {
  const n = r.deref(node);
  const range = spanOf(node);
  if (isScalar(n)) {
    const path = r.string(n, `each item of ${what}`);
    if (path === undefined) return undefined;
    if (path.trim() === '') {
      r.schemaError(node, `an item of ${what} is an empty path`);
      return undefined;
    }
    if (isHdfsTarget(path)) {
      const problem = hdfsTargetProblem(path);
      if (problem) r.schemaError(node, problem);
      return problem ? undefined : { kind: 'hdfs', url: path.trim(), range };
    }
    return { kind: 'path', path, range };
  }
  if (!isMap(n) || n.items.length !== 1) {
    r.schemaError(
      node,
      `each item of ${what} must be a path or an object with one key naming the target kind (e.g. postgres)`,
    );
    return undefined;
  }
  const [pair] = r.entries(n, undefined, what);
  const type = pair ? keyName(pair) : undefined;
  if (!pair || type === undefined) return undefined;
  if (type !== 'postgres') {
    // Kept in the model (edits leave it as written), but nothing can check or make it: an output
    // of it can never be found (every run would fail); an input or source of it is documentation
    // the runner does not fingerprint, as it always was (a warning, like an unknown key).
    r.report(
      'schema',
      output ? 'error' : 'warning',
      `unknown target kind '${type}': a target is a path, a webhdfs://HOST:PORT/PATH or hdfs:///PATH string, or {postgres: {table: …}}${output ? '' : ' (Tributary cannot check this one: it does not count in the fingerprint)'}`,
      spanOf(pair.key as AnyNode),
    );
    return { kind: 'other', type, spec: pair.value, range };
  }
  const fields: Record<string, string> = {};
  for (const p of r.entries(pair.value as AnyNode, POSTGRES_KEYS, 'a postgres target')) {
    const k = keyName(p);
    // `{table}` has no value node: report on the key (a range of its own, in both parses).
    const v = !k
      ? undefined
      : p.value == null
        ? void r.schemaError(p.key as AnyNode, `postgres.${k} is empty`)
        : r.string(p.value as AnyNode, `postgres.${k}`);
    if (k && v !== undefined) fields[k] = v;
    if (k === 'dsn' && v !== undefined && LITERAL_PASSWORD.test(v))
      r.report(
        'schema',
        'warning',
        'this DSN holds a password: put the connection string in the environment and write dsn: ${env.DATABASE_URL}',
        spanOf(p.value as AnyNode),
      );
  }
  if (!r.deref(pair.value as AnyNode) || !isMap(r.deref(pair.value as AnyNode))) {
    r.schemaError(pair.value as AnyNode, 'postgres target must be an object with a table', range);
    return undefined;
  }
  if (!fields.table) {
    r.schemaError(pair.key as AnyNode, "postgres target is missing required key 'table'");
    return undefined;
  }
  return {
    kind: 'postgres',
    table: fields.table,
    ...(fields.dsn !== undefined ? { dsn: fields.dsn } : {}),
    ...(fields.where !== undefined ? { where: fields.where } : {}),
    range,
  };
}
