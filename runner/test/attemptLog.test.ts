/** A task's log of one run keeps every attempt, each opened by a header line naming it (one file per task and run). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { splitAttempts } from '../taskOutput';
import { cli, tempDir, writeTree } from './cliHelpers';
import { lastRun } from './runHelpers';

const HEADER = /^── attempt (\d) of 3 · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d ──$/;

test('three attempts of a task: three sections in its log, the silent one empty', () => {
  // Attempt 1 prints a line without its newline, attempt 2 prints nothing, attempt 3 succeeds.
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: retries
tasks:
  flaky:
    retries: 2
    retry_delay: 10ms
    run: |
      if [ "$TRIBUTARY_ATTEMPT" = 1 ]; then printf 'first try, no newline'; exit 1; fi
      if [ "$TRIBUTARY_ATTEMPT" = 2 ]; then exit 2; fi
      echo "third try ok"
`,
  });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const run = lastRun(dir)[0];
  assert.ok(run && run.event === 'run_started');
  const text = fs.readFileSync(path.join(dir, '.tributary', 'logs', run.run, 'flaky.log'), 'utf8');
  const lines = text.split('\n');
  const headers = lines.filter((l) => HEADER.test(l));
  assert.deepEqual(
    headers.map((h) => HEADER.exec(h)?.[1]),
    ['1', '2', '3'],
    `one header per attempt, in order:\n${text}`,
  );
  // The header after an unfinished line starts a line of its own.
  assert.ok(lines.includes('first try, no newline'), text);
  const sections = splitAttempts(text);
  assert.deepEqual(
    sections.map((s) => [s.attempt, s.of, s.lines]),
    [
      [1, 3, ['first try, no newline']],
      [2, 3, []],
      [3, 3, ['third try ok']],
    ],
  );
});

test('a log written before headers existed is one section of attempt 0', () => {
  assert.deepEqual(splitAttempts('a\nb\n'), [
    { attempt: 0, of: 0, started: '', lines: ['a', 'b'] },
  ]);
  assert.deepEqual(splitAttempts(''), []);
});

test('a task that cannot retry makes its log with its first output: a silent one makes none', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: lazy
tasks:
  quiet:
    run: 'true'
  talks:
    needs: [quiet]
    run: 'sleep 2.2; echo late line'
`,
  });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const run = lastRun(dir)[0];
  assert.ok(run && run.event === 'run_started');
  const logs = path.join(dir, '.tributary', 'logs', run.run);
  assert.ok(!fs.existsSync(path.join(logs, 'quiet.log')), 'no file for a silent attempt');
  const text = fs.readFileSync(path.join(logs, 'talks.log'), 'utf8');
  // The header is still the attempt's start, not the time of the first output.
  const sections = splitAttempts(text);
  assert.deepEqual(
    sections.map((s) => [s.attempt, s.of, s.lines]),
    [[1, 1, ['late line']]],
  );
  const started = lastRun(dir).find((e) => e.event === 'task_started' && e.task === 'talks');
  assert.ok(started);
  // Header times are local and whole seconds: within a second of the start, not 2.2 s later.
  const header = new Date(sections[0]!.started.replace(' ', 'T')).getTime();
  const gap = Math.abs(header - Date.parse(started.ts));
  assert.ok(gap < 1000, `header ${sections[0]!.started} vs start ${started.ts}`);
});
