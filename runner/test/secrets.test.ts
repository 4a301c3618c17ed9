/**
 * The runner's secrets (SMTP password, default database URL) reach no task, job or notify command
 * unless the pipeline asks for them, and no record, log line, mail or error message, on failure paths too.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliAsync, tempDir, writeTree } from './cliHelpers';
import { lastRun } from './runHelpers';
import { slurmUnavailable, startSlurm, type SlurmCluster } from './slurmCluster';
import { mailText, startSmtp } from './smtpServer';

const PASSWORD = 'smtp-Pa55-do-not-leak';
const DB_SECRET = 'db-Pa55-do-not-leak';

/** Everything a run left on disk plus what it printed: no secret may be in any of it. */
function assertNoSecret(dir: string, printed: string): void {
  for (const f of fs.readdirSync(dir, { recursive: true })) {
    const p = path.join(dir, String(f));
    if (!fs.statSync(p).isFile() || String(f).startsWith('asked')) continue;
    const text = fs.readFileSync(p, 'utf8');
    assert.ok(!text.includes(PASSWORD) && !text.includes(DB_SECRET), `a secret in ${String(f)}`);
  }
  assert.ok(
    !printed.includes(PASSWORD) && !printed.includes(DB_SECRET),
    `a secret printed:\n${printed}`,
  );
}

const pipeline = (executor: string, notify: string) => `pipeline: s
defaults:
  executor: ${executor}
${notify}
tasks:
  plain:
    run: env > plain.env; exit 1
  asked:
    run: printf %s "\${env.TRIBUTARY_DATABASE_URL}" > asked.txt; env > asked.env
`;

function secretsEnv(smtpUrl: string): NodeJS.ProcessEnv {
  return {
    TRIBUTARY_SMTP_URL: smtpUrl,
    TRIBUTARY_SMTP_PASSWORD: PASSWORD,
    // Unreachable on purpose: the error message must name the host, not the password.
    TRIBUTARY_DATABASE_URL: `postgresql://robot:${DB_SECRET}@127.0.0.1:1/db`,
  };
}

test('local tasks and notify.command inherit no secret unless asked; a refused SMTP login leaks none', async () => {
  const smtp = await startSmtp({ requireAuth: { user: 'robot', password: 'another' } });
  try {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': pipeline(
        'local',
        'notify:\n  email:\n    to: [a@example.com]\n  command:\n    run: env > hook.env',
      ),
    });
    const r = await cliAsync(['run', 'p.pipeline.yaml'], {
      cwd: dir,
      env: secretsEnv(`smtp://robot@127.0.0.1:${smtp.port}`),
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    for (const f of ['plain.env', 'hook.env']) {
      const env = fs.readFileSync(path.join(dir, f), 'utf8');
      assert.doesNotMatch(env, /^TRIBUTARY_(SMTP_\w+|DATABASE_URL)=/m, f);
      assert.ok(!env.includes(PASSWORD) && !env.includes(DB_SECRET), f);
    }
    // Asked for by name: the task gets it.
    assert.match(fs.readFileSync(path.join(dir, 'asked.txt'), 'utf8'), new RegExp(DB_SECRET));
    assert.match(fs.readFileSync(path.join(dir, 'asked.env'), 'utf8'), /^TRIBUTARY_DATABASE_URL=/m);
    assert.doesNotMatch(fs.readFileSync(path.join(dir, 'asked.env'), 'utf8'), /SMTP_PASSWORD/);
    // The login was refused: the error is recorded, and holds no password.
    const err = lastRun(dir).find((e) => e.event === 'notify_error' && e.channel === 'email');
    assert.ok(err, r.stdout);
    assert.equal(smtp.mails.length, 0);
    assertNoSecret(dir, r.stdout + r.stderr);
  } finally {
    await smtp.close();
  }
});

test('a mail that goes out holds no secret; an unreachable database names its host only', async () => {
  const smtp = await startSmtp({ requireAuth: { user: 'robot', password: PASSWORD } });
  try {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: m
notify:
  email:
    to: [a@example.com]
tasks:
  load:
    run: "true"
    outputs:
      - postgres: {table: t}
`,
    });
    const env = secretsEnv(`smtp://robot@127.0.0.1:${smtp.port}`);
    const r = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr + r.stdout, /PostgreSQL at db on 127\.0\.0\.1:1/);
    assert.equal(smtp.mails.length, 1, r.stdout);
    assert.ok(!mailText(smtp.mails[0]!.raw).includes(PASSWORD));
    assert.ok(!mailText(smtp.mails[0]!.raw).includes(DB_SECRET));
    for (const cmd of ['plan', 'status']) {
      const p = await cliAsync([cmd, 'p.pipeline.yaml'], { cwd: dir, env });
      assert.notEqual(p.code, 0);
      assertNoSecret(dir, p.stdout + p.stderr);
    }
    assertNoSecret(dir, r.stdout + r.stderr);
  } finally {
    await smtp.close();
  }
});

describe('slurm: sbatch passes no secret to the job', { skip: slurmUnavailable() }, () => {
  let cluster: SlurmCluster;
  before(async () => {
    cluster = await startSlurm();
  });
  after(async () => cluster?.stop());

  test('a job inherits no secret unless asked', async () => {
    const dir = writeTree(tempDir(), { 'p.pipeline.yaml': pipeline('slurm', '') });
    const r = await cliAsync(['run', 'p.pipeline.yaml'], {
      cwd: dir,
      env: { ...cluster.env, ...secretsEnv('smtp://127.0.0.1:1'), TRIBUTARY_SLURM_POLL_MS: '200' },
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const plain = fs.readFileSync(path.join(dir, 'plain.env'), 'utf8');
    assert.match(plain, /^SLURM_JOB_ID=/m);
    assert.doesNotMatch(plain, /^TRIBUTARY_(SMTP_\w+|DATABASE_URL)=/m);
    assert.match(fs.readFileSync(path.join(dir, 'asked.txt'), 'utf8'), new RegExp(DB_SECRET));
  });
});

test('a database URL in any form, even malformed, is never quoted in an error', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml':
      'pipeline: d\ntasks:\n  t:\n    run: "true"\n    outputs:\n      - postgres: {table: t, dsn: "${env.DB}"}\n',
  });
  const forms = [
    `postgresql://robot:${DB_SECRET}@127.0.0.1:1/db`,
    `postgresql://robot:${DB_SECRET}@127.0.0.1:notaport/db`,
    `postgresql://robot:${DB_SECRET}@[bad/db`,
    `host=127.0.0.1 port=1 password=${DB_SECRET} dbname=db`,
    `garbage ${DB_SECRET}`,
  ];
  for (const DB of forms)
    for (const cmd of ['plan', 'status', 'run']) {
      const r = await cliAsync([cmd, 'p.pipeline.yaml'], { cwd: dir, env: { DB } });
      assert.notEqual(r.code, 0, `${cmd} ${DB}`);
      assert.equal(r.stderr.trim().split('\n').length, 1, `${cmd} ${DB}: ${r.stderr}`);
      assertNoSecret(dir, r.stdout + r.stderr);
    }
});
