/** Notifications against a real SMTP server and real commands; a failing channel never changes a run. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliAsync, tempDir, writeTree } from './cliHelpers';
import { lastRun } from './runHelpers';
import { mailText, startSmtp } from './smtpServer';

const failing = (notify: string) => `pipeline: nightly
notify:
${notify}
tasks:
  extract:
    run: echo extracted
  validate:
    needs: [extract]
    run: echo "row 7 has no date" >&2; exit 3
`;

/** A real SMTP server for the length of `fn`. */
async function withSmtp(
  options: Parameters<typeof startSmtp>[0],
  fn: (smtp: Awaited<ReturnType<typeof startSmtp>>) => Promise<void>,
): Promise<void> {
  const smtp = await startSmtp(options);
  try {
    await fn(smtp);
  } finally {
    await smtp.close();
  }
}

function subjectOf(raw: string): string {
  return /^Subject: (.*)$/m.exec(raw)?.[1] ?? '';
}

test('a failed run mails the recipients: subject, failed task, exit code, last log lines, timings', async () => {
  await withSmtp({}, async (smtp) => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': failing(
        '  email:\n    to: [data-team@example.com, oncall@example.com]\n    on: [failure]',
      ),
    });
    const r = await cliAsync(['run', 'p.pipeline.yaml'], {
      cwd: dir,
      env: { TRIBUTARY_SMTP_URL: smtp.url, TRIBUTARY_SMTP_FROM: 'robot@example.com' },
    });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(smtp.mails.length, 1);
    const mail = smtp.mails[0]!;
    assert.deepEqual(mail.to.sort(), ['data-team@example.com', 'oncall@example.com']);
    assert.equal(mail.from, 'robot@example.com');
    assert.match(subjectOf(mail.raw), /nightly failed: validate/);
    const body = mailText(mail.raw);
    assert.match(body, /Task validate failed with exit code 3 after 1 attempt/);
    assert.match(body, /row 7 has no date/);
    assert.match(body, /extract\s+✓ success/);
    assert.ok(!lastRun(dir).some((e) => e.event === 'notify_error'));
  });
});

test('a successful run sends nothing when only failures are asked for, and mails on success when asked', async () => {
  await withSmtp({}, async (smtp) => {
    const ok = (on: string) =>
      `pipeline: ok\nnotify:\n  email:\n    to: [a@example.com]\n    on: [${on}]\ntasks:\n  a:\n    run: "true"\n`;
    const dir = writeTree(tempDir(), { 'p.pipeline.yaml': ok('failure') });
    const env = { TRIBUTARY_SMTP_URL: smtp.url };
    assert.equal((await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env })).code, 0);
    assert.equal(smtp.mails.length, 0);
    fs.writeFileSync(path.join(dir, 'p.pipeline.yaml'), ok('success'));
    assert.equal((await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env })).code, 0);
    assert.equal(smtp.mails.length, 1);
    assert.match(subjectOf(smtp.mails[0]!.raw), /ok success/);
  });
});

test('the SMTP password comes from the environment, is used, and appears in no record', async () => {
  const secret = 's3cr3t-pa55';
  await withSmtp({ requireAuth: { user: 'robot', password: secret } }, async (smtp) => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': failing('  email:\n    to: [a@example.com]'),
    });
    const r = await cliAsync(['run', 'p.pipeline.yaml'], {
      cwd: dir,
      env: {
        TRIBUTARY_SMTP_URL: `smtp://robot@127.0.0.1:${smtp.port}`,
        TRIBUTARY_SMTP_PASSWORD: secret,
      },
    });
    assert.equal(r.code, 1);
    assert.equal(smtp.mails.length, 1);
    assert.equal(smtp.mails[0]!.user, 'robot');
    const records = fs.readdirSync(path.join(dir, '.tributary'), { recursive: true });
    for (const f of records) {
      const p = path.join(dir, '.tributary', String(f));
      if (fs.statSync(p).isFile())
        assert.ok(!fs.readFileSync(p, 'utf8').includes(secret), String(f));
    }
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
  });
});

test('the server can be given as TRIBUTARY_SMTP_HOST and TRIBUTARY_SMTP_PORT', async () => {
  await withSmtp({}, async (smtp) => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': failing('  email:\n    to: ops@example.com'),
    });
    const r = await cliAsync(['run', 'p.pipeline.yaml'], {
      cwd: dir,
      env: { TRIBUTARY_SMTP_HOST: '127.0.0.1', TRIBUTARY_SMTP_PORT: String(smtp.port) },
    });
    assert.equal(r.code, 1);
    assert.deepEqual(smtp.mails[0]?.to, ['ops@example.com']);
  });
});

test('a refused SMTP connection is logged and recorded, and the run keeps its outcome', async () => {
  const closed = net.createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml':
      'pipeline: ok\nnotify:\n  email:\n    to: [a@example.com]\n    on: [success]\ntasks:\n  a:\n    run: "true"\n',
  });
  const r = await cliAsync(['run', 'p.pipeline.yaml'], {
    cwd: dir,
    env: { TRIBUTARY_SMTP_URL: `smtp://127.0.0.1:${port}` },
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /e-mail to a@example.com failed: .*ECONNREFUSED.*outcome is unchanged/);
  const events = lastRun(dir);
  const err = events.find((e) => e.event === 'notify_error');
  assert.ok(err && err.event === 'notify_error' && err.channel === 'email');
  assert.ok(events.some((e) => e.event === 'run_finished' && e.status === 'success'));
});

test('notify.command gets the run summary as JSON on stdin; its failure is recorded, not fatal', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': failing(
      '  command:\n    run: cat > summary.json; exit 4\n    on: [failure, retry]',
    ),
  });
  const r = await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as {
    pipeline: string;
    status: string;
    failed: string[];
    events: string[];
    tasks: { task: string; exit_code: number | null; tail?: string[] }[];
  };
  assert.equal(summary.pipeline, 'nightly');
  assert.equal(summary.status, 'failed');
  assert.deepEqual(summary.failed, ['validate']);
  assert.deepEqual(summary.events, ['failure']);
  const v = summary.tasks.find((t) => t.task === 'validate');
  assert.equal(v?.exit_code, 3);
  assert.ok(v?.tail?.some((l) => l.includes('row 7 has no date')));
  const err = lastRun(dir).find((e) => e.event === 'notify_error');
  assert.ok(err && err.event === 'notify_error' && /exited 4/.test(err.message));
});

test('a digest sends one mail per period and gathers the runs in between into the next', async () => {
  await withSmtp({}, async (smtp) => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': failing('  email:\n    to: [a@example.com]\n    digest: 1h'),
    });
    const env = { TRIBUTARY_SMTP_URL: smtp.url };
    for (let i = 0; i < 3; i++) await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(smtp.mails.length, 1, 'a flapping task mails once per period');
    const state = JSON.parse(
      fs.readFileSync(path.join(dir, '.tributary', 'notify.json'), 'utf8'),
    ) as Record<string, { lastSent: number; pending: unknown[] }>;
    const mine = state['p.pipeline.yaml']!;
    assert.equal(mine.pending.length, 2);
    // The period is over: the next run's mail carries the two gathered runs.
    mine.lastSent -= 2 * 3600_000;
    fs.writeFileSync(path.join(dir, '.tributary', 'notify.json'), JSON.stringify(state));
    await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    assert.equal(smtp.mails.length, 2);
    assert.match(subjectOf(smtp.mails[1]!.raw), /\(\+2 earlier\)/);
    assert.match(mailText(smtp.mails[1]!.raw), /Earlier runs gathered by the digest/);
  });
});

test('notify-test sends a test message, and says so; without a server it exits 1 with one line', async () => {
  await withSmtp({}, async (smtp) => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': failing('  email:\n    to: [a@example.com]'),
    });
    const r = await cliAsync(['notify-test', 'p.pipeline.yaml'], {
      cwd: dir,
      env: { TRIBUTARY_SMTP_URL: smtp.url },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /email to a@example.com: sent/);
    assert.match(subjectOf(smtp.mails[0]!.raw), /\(test\)/);
    const none = await cliAsync(['notify-test', 'p.pipeline.yaml'], {
      cwd: dir,
      env: { TRIBUTARY_SMTP_URL: '' },
    });
    assert.equal(none.code, 1);
    assert.match(none.stdout, /no mail server: set TRIBUTARY_SMTP_URL/);
    assert.doesNotMatch(none.stderr, /\n\s+at /);
  });
});
