/**
 * PostgreSQL targets: a table exists (and, with `where`, a row matches). One connection per DSN
 * per check, closed right after; errors become one line naming the host, never the password.
 */
import type pg from 'pg';
import type { ConcreteTarget } from '../taskSpec';

/** The database could not be asked: the run cannot decide what is complete. */
export class TargetCheckError extends Error {}

/** Key of a database target's answer: the same table with another `where` is another question. */
export function dbTargetKey(t: ConcreteTarget): string {
  return `${t.dsn ?? ''}\0${t.id}\0${t.where ?? ''}\0${JSON.stringify(t.whereValues ?? [])}`;
}

/** Without a `dsn`: TRIBUTARY_DATABASE_URL, DATABASE_URL, then libpq's PG* variables. */
export function effectiveDsn(dsn: string | undefined): string | undefined {
  return dsn || process.env.TRIBUTARY_DATABASE_URL || process.env.DATABASE_URL || undefined;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/** `schema.table` as SQL, quoting each part that is not a plain identifier. */
export function quoteTable(table: string): string {
  return table
    .split('.')
    .map((p) => (IDENT.test(p) ? p : `"${p.replace(/"/g, '""')}"`))
    .join('.');
}

/**
 * Runs inside a READ ONLY transaction, with the extended protocol (one statement at most, values
 * as parameters): a `where` can neither write nor run a second statement.
 */
async function ask(client: pg.Client, t: ConcreteTarget): Promise<boolean> {
  const table = t.id.slice('postgres:'.length);
  const found = await client.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [
    quoteTable(table),
  ]);
  if (!found.rows[0]?.ok) return false;
  if (t.whereError) throw new Error(`${t.id}: ${t.whereError}`);
  const condition = t.where;
  if (!condition) return true;
  const rows = await client.query({
    text: `SELECT 1 FROM ${quoteTable(table)} WHERE (${condition}\n) LIMIT 1`,
    values: t.whereValues ?? [],
    // Even with no values: the extended protocol takes one statement, never two (pg ≥ 8.13).
    queryMode: 'extended',
  } as pg.QueryConfig);
  return rows.rowCount !== null && rows.rowCount > 0;
}

function describe(client: pg.Client): string {
  const host = client.host || 'localhost';
  // A string pg could not read as a URL ends up whole in `database`: show only a plain name.
  const db = client.database && /^[\w.$-]+$/.test(client.database) ? `${client.database} on ` : '';
  return `${db}${host}:${client.port}`;
}

/** `text` without the password of `client` or of the connection string, however written. */
function scrub(text: string, client: pg.Client, dsn: string): string {
  let out = text.replace(/password\s*=\s*('[^']*'|\S+)/gi, 'password=***');
  const secrets = [typeof client.password === 'string' ? client.password : ''];
  try {
    secrets.push(decodeURIComponent(new URL(dsn).password));
  } catch {
    // not a URL
  }
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}

/** Answers every postgres target, grouped by DSN; throws a TargetCheckError with one clear line. */
export async function checkPostgresTargets(
  targets: ConcreteTarget[],
): Promise<Map<string, boolean>> {
  const answers = new Map<string, boolean>();
  const byDsn = new Map<string, ConcreteTarget[]>();
  for (const t of targets) {
    if (t.target.kind !== 'postgres') continue;
    const dsn = effectiveDsn(t.dsn) ?? '';
    byDsn.set(dsn, [...(byDsn.get(dsn) ?? []), t]);
  }
  if (byDsn.size === 0) return answers;
  // Loaded on first use: most runs have no database target, and every command starts faster.
  const { default: postgres } = await import('pg');
  for (const [dsn, group] of byDsn) {
    let client: pg.Client;
    try {
      client = new postgres.Client({
        ...(dsn ? { connectionString: dsn } : {}),
        connectionTimeoutMillis: 5000,
        query_timeout: 30000,
      });
    } catch {
      // The message must not quote the string: it may hold a password.
      const from = group[0]?.dsn ? 'the dsn' : 'TRIBUTARY_DATABASE_URL or DATABASE_URL';
      throw new TargetCheckError(
        `cannot check ${group.map((t) => t.id).join(', ')}: ${from} is not a valid PostgreSQL connection string`,
      );
    }
    // A dropped connection emits 'error' outside any query; never let it kill the process.
    client.on('error', () => {});
    let stage = 'connect to';
    try {
      await client.connect();
      stage = 'check a table in';
      // Checks only read: plan and status never write, whatever a `where` says.
      await client.query('BEGIN TRANSACTION READ ONLY');
      for (const t of group) {
        stage = `check ${t.id} in`;
        answers.set(dbTargetKey(t), await ask(client, t));
      }
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new TargetCheckError(
        scrub(`cannot ${stage} PostgreSQL at ${describe(client)}: ${reason}`, client, dsn),
      );
    } finally {
      await client.end().catch(() => {});
    }
  }
  return answers;
}
