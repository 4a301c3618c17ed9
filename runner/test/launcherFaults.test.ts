/**
 * The task launcher (the default way local tasks start) behaves as Node's spawn did where it
 * counts: output written while a task's group lives on is kept, a TERM handler's cleanup gets its
 * grace period, the user's Perl settings do not reach the launcher, a shell that cannot run says
 * why, a group left behind is ended even when the runner is killed, and odd variable names pass.
 * (Found by a review of the session-5 change; each test failed on 21e3e6c.)
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { once } from 'node:events';
import { cli, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { lastRun, processesWith, waitFor } from './runHelpers';

function logOf(dir: string, task: string): string {
  const run = lastRun(dir)[0];
  assert.ok(run && run.event === 'run_started');
  const f = path.join(dir, '.tributary', 'logs', run.run, `${task}.log`);
  return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
}

test('output of a process substitution (bash does not wait for it) is all in the log', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: procsub
tasks:
  t:
    run: seq 1 20000 | tee >(cat >&2) > /dev/null
`,
  });
  for (let i = 0; i < 6; i++) {
    const r = cli(['run', 'p.pipeline.yaml', '--force'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const lines = logOf(dir, 't').split('\n').filter(Boolean).length;
    assert.equal(lines, 20001, `run ${i}: ${lines - 1} of 20000 lines`);
  }
});

test('a child that handles TERM (timeout) finishes its cleanup and its last lines are logged', () => {
  const dir = writeTree(tempDir(), {
    'stop.py': `import signal, time, sys
def h(*a):
    print('saving', flush=True)
    time.sleep(0.5)
    print('saved', flush=True)
    open('done.txt', 'w').write('ok')
    sys.exit(0)
signal.signal(signal.SIGTERM, h)
print('working', flush=True)
time.sleep(100)
`,
    'p.pipeline.yaml': `pipeline: graceful
tasks:
  t:
    run: echo start; python3 stop.py; echo end
    timeout: 2s
`,
  });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env: { PYTHONUNBUFFERED: '1' } });
  assert.equal(r.code, 1);
  assert.match(logOf(dir, 't'), /^saved$/m);
  assert.ok(fs.existsSync(path.join(dir, 'done.txt')), 'the cleanup ran to its end');
});

for (const perl of [{ PERL_UNICODE: 'SDA' }, { PERL_UNICODE: 'O' }, { PERL5OPT: '-CS' }])
  test(`the user's Perl settings do not reach the launcher (${JSON.stringify(perl)})`, () => {
    const dir = writeTree(tempDir(), {
      'p.pipeline.yaml': `pipeline: perlenv
tasks:
  t:
    run: printf 'caf\\xc3\\xa9 \\xff\\xfe ok\\n'; echo "$PERL_UNICODE$PERL5OPT"
`,
    });
    const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env: { ...perl } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const log = fs.readFileSync(
      path.join(dir, '.tributary', 'logs', lastRun(dir)[0]!.run, 't.log'),
    );
    const body = log.subarray(log.indexOf(0x0a) + 1);
    const want = Buffer.concat([
      Buffer.from([0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0xff, 0xfe]),
      Buffer.from(` ok\n${Object.values(perl)[0]}\n`),
    ]);
    assert.ok(body.equals(want), `log bytes: ${JSON.stringify(body.toString('latin1'))}`);
  });

test('a shell that cannot be run says why in the log', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: noshell
tasks:
  t:
    run: echo hi
`,
  });
  const r = cli(['run', 'p.pipeline.yaml'], {
    cwd: dir,
    env: { TRIBUTARY_SHELL: '/no/such/shell' },
  });
  assert.equal(r.code, 1);
  assert.match(logOf(dir, 't') + r.stdout, /\/no\/such\/shell/);
});

test('kill -9 of the runner just after a shell left a TERM-ignoring child: the child is ended', async () => {
  const marker = `leftmark${process.pid}x${Date.now()}`;
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: left
tasks:
  t:
    run: (trap '' TERM; sleep 30; echo ${marker}) & touch started
  keep:
    run: sleep 30
`,
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml'], {
    cwd: dir,
    env: { TRIBUTARY_KILL_GRACE_MS: '3000' },
  });
  await waitFor(() => fs.existsSync(path.join(dir, 'started')), 15_000, 'the task to start');
  await waitFor(() => processesWith(marker).length > 0, 5_000, 'the left child');
  child.kill('SIGKILL');
  await once(child, 'exit');
  await waitFor(() => processesWith(marker).length === 0, 10_000, 'the left child to be ended');
});

test('an inherited variable whose name starts with - reaches the task', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: oddenv
tasks:
  t:
    run: env | grep -e '^-odd-name=' || echo missing
`,
  });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env: { '-odd-name': 'v=1' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(logOf(dir, 't'), /^-odd-name=v=1$/m);
});

for (const launcher of ['', '0'])
  test(`a cancelled task's TERM handler gets the whole grace period (TRIBUTARY_LAUNCHER=${launcher})`, () => {
    const dir = writeTree(tempDir(), {
      // The shell dies of the TERM at once; its child cleans up for 3 s (more than any 1 or 2 s timer).
      'slow.py': `import signal, time, sys
def h(*a):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(3)
    open('cleaned.txt', 'w').write('ok')
    sys.exit(0)
signal.signal(signal.SIGTERM, h)
open('ready.txt', 'w').write('ok')
time.sleep(100)
`,
      'p.pipeline.yaml': `pipeline: grace
tasks:
  t:
    run: python3 slow.py; echo after
    timeout: 1s
`,
    });
    const r = cli(['run', 'p.pipeline.yaml'], {
      cwd: dir,
      env: { TRIBUTARY_LAUNCHER: launcher, TRIBUTARY_KILL_GRACE_MS: '5000' },
    });
    assert.equal(r.code, 1);
    assert.ok(fs.existsSync(path.join(dir, 'ready.txt')), 'the task ran');
    assert.ok(fs.existsSync(path.join(dir, 'cleaned.txt')), 'the cleanup ran to its end');
  });

test('kill -9 of the runner while the shell runs: a child that ignores TERM is ended with it', async () => {
  const marker = `runmark${process.pid}x${Date.now()}`;
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: shutgap
tasks:
  t:
    run: (trap '' TERM; sleep 30; echo ${marker}) & touch started; sleep 30
`,
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml'], {
    cwd: dir,
    env: { TRIBUTARY_KILL_GRACE_MS: '2000' },
  });
  await waitFor(() => fs.existsSync(path.join(dir, 'started')), 15_000, 'the task to start');
  await waitFor(() => processesWith(marker).length > 0, 5_000, 'the background child');
  child.kill('SIGKILL');
  await once(child, 'exit');
  await waitFor(() => processesWith(marker).length === 0, 8_000, 'the child to be ended');
});
