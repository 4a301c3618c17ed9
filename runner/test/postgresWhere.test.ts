/** A postgres target's `where` against a real server: one statement, read only, values as parameters. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { lookupReference } from '../../core/interpolate';
import { whereQuery } from '../../core/sql/whereQuery';
import { validate } from '../../core/validate/validate';
import { cliAsync, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun } from './runHelpers';
import { postgresUnavailable, startPostgres, type TestDatabase } from './postgresServer';

async function sql(url: string, text: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

const pipeline = (table: string, where: string) => `pipeline: w
params:
  day: "2024-01-31"
tasks:
  load:
    run: echo loaded
    outputs:
      - postgres:
          table: ${table}
          dsn: \${env.DATABASE_URL}
          where: ${JSON.stringify(where)}
`;

test('whereQuery: values become parameters by SQL context; ; and $1 are refused', () => {
  const q = (w: string) =>
    whereQuery(w, (r) => lookupReference(r, { params: { d: "x'; drop table t; --", c: 'co"l' } }));
  assert.deepEqual(q("day = '${params.d}'"), {
    text: 'day = $1',
    values: ["x'; drop table t; --"],
  });
  assert.deepEqual(q('n > ${params.d}'), { text: 'n > $1', values: ["x'; drop table t; --"] });
  assert.deepEqual(q("name like '${params.d}%'"), {
    text: "name like ($1::text || '%')",
    values: ["x'; drop table t; --"],
  });
  assert.deepEqual(q('"${params.c}" = 1'), { text: '"co""l" = 1', values: [] });
  assert.deepEqual(q("a = 'it''s ${params.d}' -- ${params.c}"), {
    text: "a = ('it''s ' || $1::text) ",
    values: ["x'; drop table t; --"],
  });
  assert.deepEqual(q("a = 'x;y'"), { text: "a = 'x;y'", values: [] });
  assert.match(q('1=1; drop table t').error ?? '', /may not hold ;/);
  assert.match(q('a = $1').error ?? '', /\$1-style/);
  assert.match(q("a = E'${params.d}'").error ?? '', /E'…'/);
  assert.match(q('a = $$${params.d}$$').error ?? '', /\$\$-quoted/);
  // The same problems are validation errors on the target, before anything connects.
  const v = validate(pipeline('t', '1=1; drop table t'));
  assert.deepEqual(
    v.findings.map((f) => `${f.severity} ${f.code} ${f.message}`),
    [
      "error unsafe-interpolation task 'load': where is one condition: it may not hold ; (a second statement)",
    ],
  );
});

describe('postgres where', { skip: postgresUnavailable() }, () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    db = startPostgres();
    env = { DATABASE_URL: db.url, NODE_PATH: path.resolve('node_modules') };
    await sql(db.url, "create table w_days(day text); insert into w_days values ('2024-01-31')");
    await sql(db.url, 'create table w_log(n int); create sequence w_seq');
    await sql(
      db.url,
      'create function w_write() returns boolean language sql as $$ insert into w_log values (1) returning true $$',
    );
  });
  after(() => db?.stop());

  test('a second statement in where is refused with one line; the table is still there', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': pipeline('w_days', '1=1; drop table w_days'),
    });
    for (const cmd of ['plan', 'status', 'run']) {
      const r = await cliAsync([cmd, 'p.pipeline.yaml'], { cwd: dir, env });
      assert.notEqual(r.code, 0, `${cmd}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr + r.stdout, /may not hold ; \(a second statement\)/, cmd);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    assert.equal((await sql(db.url, 'select count(*)::int as n from w_days')).rows[0].n, 1);
  });

  test('a write attempted in where fails read-only: nothing written, by plan, status or run', async () => {
    for (const where of ['w_write()', "nextval('w_seq') > 0"]) {
      const dir = writeTree(tempDir(), { 'p.pipeline.yaml': pipeline('w_days', where) });
      for (const cmd of ['plan', 'status', 'run']) {
        const r = await cliAsync([cmd, 'p.pipeline.yaml'], { cwd: dir, env });
        assert.notEqual(r.code, 0, `${cmd} ${where}: ${r.stdout}${r.stderr}`);
        assert.match(r.stderr + r.stdout, /read-only transaction/, `${cmd} ${where}`);
      }
    }
    assert.equal((await sql(db.url, 'select count(*)::int as n from w_log')).rows[0].n, 0);
    const seq = await sql(db.url, 'select last_value::int as v, is_called from w_seq');
    assert.equal(seq.rows[0].is_called, false);
  });

  test('a hostile param in where is a value: it matches nothing and drops nothing', async () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': pipeline('w_days', "day = '${params.day}'"),
    });
    const ok = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(finished(lastRun(dir)), { load: 'complete' });
    for (const day of ["x' or '1'='1", "2024-01-31'; drop table w_days; --", '2024-01-31\\']) {
      const r = await cliAsync(['run', 'p.pipeline.yaml', '--param', `day=${day}`], {
        cwd: dir,
        env,
      });
      // No row matches the value, so the task runs; `echo` adds no row, so it fails, naming the table.
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.deepEqual(finished(lastRun(dir)), { load: 'failed' }, day);
    }
    assert.equal((await sql(db.url, 'select count(*)::int as n from w_days')).rows[0].n, 1);
  });
});
