/**
 * A failed task that printed a secret it asked for: the notification mail and the notify.command
 * JSON (both quote the last lines of its log) carry `***`, never the secret (real SMTP, built CLI).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliAsync, tempDir, writeTree } from './cliHelpers';
import { lastRun } from './runHelpers';
import { mailText, startSmtp } from './smtpServer';
import { maskDeep, maskSecrets, secretValues } from '../secretEnv';

const DB_SECRET = 'db-Pa55-audit-do-not-leak';
const TOKEN = 'tok-audit-9f8e7d6c';
const SMTP_PASSWORD = 'smtp-audit-Pa55';

const PIPELINE = `pipeline: leaky
notify:
  email:
    to: [ops@example.com]
  command:
    run: cat > hook.json
tasks:
  leak:
    # What a psql/curl error or \`set -x\` does: the secret it was given ends up in its output.
    run: |
      echo "connecting with \${env.TRIBUTARY_DATABASE_URL}"
      echo "token=\${env.API_TOKEN}" >&2
      echo "smtp \${env.TRIBUTARY_SMTP_PASSWORD}"
      # The token again, cut in two writes: the log and the terminal still mask it.
      t="\${env.API_TOKEN}"; printf 'again=%s' "\${t%????????}"; sleep 0.3; echo "\${t#tok-audit-}"
      exit 3
`;

test('a secret a failed task printed is masked in the mail and in the notify.command summary', async () => {
  const smtp = await startSmtp({ requireAuth: { user: 'robot', password: SMTP_PASSWORD } });
  try {
    const dir = writeTree(tempDir(), { 'p.pipeline.yaml': PIPELINE });
    const r = await cliAsync(['run', 'p.pipeline.yaml'], {
      cwd: dir,
      env: {
        TRIBUTARY_SMTP_URL: `smtp://robot@127.0.0.1:${smtp.port}`,
        TRIBUTARY_SMTP_PASSWORD: SMTP_PASSWORD,
        TRIBUTARY_DATABASE_URL: `postgresql://robot:${DB_SECRET}@db.example.com/w`,
        API_TOKEN: TOKEN,
        TRIBUTARY_SECRET_VARS: 'API_TOKEN',
      },
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.equal(
      lastRun(dir).find((e) => e.event === 'notify_error'),
      undefined,
      'both channels went out',
    );
    assert.equal(smtp.mails.length, 1, r.stdout + r.stderr);
    const mail = mailText(smtp.mails[0]!.raw);
    const hook = fs.readFileSync(path.join(dir, 'hook.json'), 'utf8');
    for (const [name, text] of [
      ['mail', mail],
      ['notify.command JSON', hook],
    ] as const) {
      // The tail is there (the test would pass vacuously without it), with each secret masked.
      assert.match(text, /connecting with postgresql:\/\/robot:\*\*\*@db\.example\.com\/w/, name);
      assert.match(text, /token=\*\*\*/, name);
      assert.match(text, /smtp \*\*\*/, name);
      for (const secret of [DB_SECRET, TOKEN, SMTP_PASSWORD])
        assert.ok(!text.includes(secret), `${name} holds ${secret}:\n${text}`);
    }
    assert.equal(JSON.parse(hook).tasks[0].task, 'leak');
    // The run's terminal lines and the task's log file are masked as well.
    const logs = path.join(dir, '.tributary', 'logs');
    const log = fs.readFileSync(path.join(logs, fs.readdirSync(logs)[0]!, 'leak.log'), 'utf8');
    for (const [name, text] of [
      ['terminal', r.stdout + r.stderr],
      ['task log', log],
    ] as const) {
      assert.match(text, /token=\*\*\*/, name);
      assert.match(text, /again=\*\*\*/, name);
      assert.match(text, /connecting with postgresql:\/\/robot:\*\*\*@db\.example\.com\/w/, name);
      for (const secret of [DB_SECRET, TOKEN, SMTP_PASSWORD])
        assert.ok(!text.includes(secret), `${name} holds ${secret}:\n${text}`);
    }
  } finally {
    await smtp.close();
  }
});

test('what counts as a secret to mask: passwords and listed values, not server settings', () => {
  const env = {
    TRIBUTARY_SMTP_URL: 'smtp://robot:url-pw%40x@mail.example.com:587',
    TRIBUTARY_SMTP_PORT: '2525',
    TRIBUTARY_SMTP_HOST: 'mail.example.com',
    TRIBUTARY_SMTP_TLS: '1',
    TRIBUTARY_DATABASE_URL: 'postgresql://robot@db.example.com/w',
    TRIBUTARY_SECRET_VARS: 'API_TOKEN,SHORT,OTHER',
    API_TOKEN: 'host=db password=kw-secret',
    SHORT: 'abc',
    HOME: '/home/robot-secret-free',
  };
  const secrets = secretValues(env);
  assert.deepEqual(secrets, ['host=db password=kw-secret', 'url-pw%40x', 'url-pw@x']);
  assert.equal(
    maskSecrets('port 2525 on mail.example.com, pw url-pw@x, 1 abc', secrets),
    'port 2525 on mail.example.com, pw ***, 1 abc',
  );
  assert.deepEqual(maskDeep({ a: ['x url-pw%40x'], n: 3, z: null }, secrets), {
    a: ['x ***'],
    n: 3,
    z: null,
  });
});
