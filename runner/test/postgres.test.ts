/** PostgreSQL targets and sources against a real server: load once then skip, `where`, clear errors. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { cli, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun } from './runHelpers';
import { postgresUnavailable, startPostgres, type TestDatabase } from './postgresServer';

const skip = postgresUnavailable();

async function sql(url: string, text: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

/**
 * A task that loads a table with node + pg, as a user's step would with psql or Python; the day
 * reaches node as an argument, never as code (a value in `node -e`'s program is refused).
 */
const loader = (table: string, day: string) =>
  `node -e "const pg=require('pg');const c=new pg.Client({connectionString:process.env.DATABASE_URL});c.connect().then(()=>c.query('create table if not exists ${table}(day text, v int)')).then(()=>c.query('insert into ${table} values (\\$1, 1)', [process.argv[1]])).then(()=>c.end())" -- "${day}"`;

describe('postgres targets', { skip }, () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  before(() => {
    db = startPostgres();
    env = { DATABASE_URL: db.url, NODE_PATH: path.resolve('node_modules') };
  });
  after(() => db?.stop());

  test('a task that loads a table runs once, is skipped while the table exists, and runs again when it is dropped', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: load
tasks:
  load:
    run: ${JSON.stringify(loader('features_a', '2024-01-31'))}
    outputs:
      - postgres:
          table: features_a
          dsn: \${env.DATABASE_URL}
  report:
    run: echo reported > report.txt
    inputs:
      - postgres: {table: features_a, dsn: "\${env.DATABASE_URL}"}
    outputs: [report.txt]
`,
    });
    const first = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.deepEqual(finished(lastRun(dir)), { load: 'success', report: 'success' });
    assert.equal((await sql(db.url, 'select count(*)::int as n from features_a')).rows[0].n, 1);
    const second = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(second.code, 0);
    assert.deepEqual(finished(lastRun(dir)), { load: 'complete', report: 'complete' });
    await sql(db.url, 'drop table features_a');
    const plan = cli(['plan', 'p.pipeline.yaml', '--json'], { cwd: dir, env });
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /output postgres:features_a missing/);
    assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir, env }).code, 0);
    assert.deepEqual(finished(lastRun(dir)), { load: 'success', report: 'success' });
  });

  test('with `where`, the target exists only when a row matches (one day loaded, the next not yet)', async () => {
    const file = (day: string) => `pipeline: daily
params:
  day: "${day}"
tasks:
  load:
    run: ${JSON.stringify(loader('features_b', '${params.day}'))}
    outputs:
      - postgres:
          table: features_b
          where: day = '\${params.day}'
`;
    const dir = writeTree(tempDir(), { 'p.pipeline.yaml': file('2024-01-31') });
    const first = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir, env }).code, 0);
    assert.deepEqual(finished(lastRun(dir)), { load: 'complete' });
    const next = cli(['run', 'p.pipeline.yaml', '--param', 'day=2024-02-01'], { cwd: dir, env });
    assert.equal(next.code, 0);
    assert.deepEqual(finished(lastRun(dir)), { load: 'success' });
    const rows = await sql(db.url, 'select day from features_b order by day');
    assert.deepEqual(
      rows.rows.map((r: { day: string }) => r.day),
      ['2024-01-31', '2024-02-01'],
    );
  });

  test('a task that exits 0 without creating its table has failed, naming the table', () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml':
        'pipeline: lazy\ntasks:\n  load:\n    run: "true"\n    outputs:\n      - postgres: {table: never_made}\n',
    });
    const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /did not create its output postgres:never_made/);
  });
});

test('an unreachable database is one clear line naming the host, recorded as a failed run', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml':
      'pipeline: down\ntasks:\n  load:\n    run: "true"\n    outputs:\n      - postgres: {table: t, dsn: "${env.DB}"}\n',
  });
  const env = { DB: 'postgresql://someone:hunter2@127.0.0.1:1/x' };
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /cannot connect to PostgreSQL at x on 127\.0\.0\.1:1: .*ECONNREFUSED/);
  assert.doesNotMatch(r.stderr + r.stdout, /hunter2|\n\s+at /);
  const end = lastRun(dir).at(-1);
  assert.ok(
    end?.event === 'run_finished' &&
      end.status === 'failed' &&
      /127\.0\.0\.1:1/.test(end.message ?? ''),
  );
  const plan = cli(['plan', 'p.pipeline.yaml'], { cwd: dir, env });
  assert.equal(plan.code, 2);
  assert.equal(plan.stderr.trim().split('\n').length, 1);
  assert.ok(!fs.existsSync(path.join(dir, '.tributary', 'lock')));
});
