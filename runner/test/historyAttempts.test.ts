/** `tributary history` from a real run: a retried task's attempts and wait, its metrics, and the tasks that did not run. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';

const PIPELINE = `pipeline: h
tasks:
  ready:
    run: node -e "require('fs').writeFileSync('ready.txt','ok')"
    outputs: [ready.txt]
  flaky:
    run: node flaky.js
    needs: [ready]
    retries: 2
    retry_delay: 300ms
  gate:
    run: node -e "process.exit(1)"
    needs: [flaky]
  publish:
    run: "true"
    needs: [gate]
`;

// Fails twice, then succeeds and reports a metric.
const FLAKY = `const fs = require('fs');
const n = fs.existsSync('count') ? Number(fs.readFileSync('count', 'utf8')) : 0;
fs.writeFileSync('count', String(n + 1));
if (n < 2) process.exit(3);
fs.writeFileSync(process.env.TRIBUTARY_METRICS, JSON.stringify({ f1: 0.9 }));`;

test('history: attempt times with the retry waits, metrics, complete and upstream-failed tasks (JSON and text)', () => {
  const dir = writeTree(tempDir(), { 'h.pipeline.yaml': PIPELINE, 'flaky.js': FLAKY });
  assert.equal(cli(['run', 'h.pipeline.yaml', 'ready'], { cwd: dir }).code, 0);
  assert.equal(cli(['run', 'h.pipeline.yaml'], { cwd: dir }).code, 1);
  const { runs } = JSON.parse(cli(['history', 'h.pipeline.yaml', '--json'], { cwd: dir }).stdout);
  const run = runs[0];
  assert.deepEqual(run.complete, ['ready']);
  assert.deepEqual(run.upstream_failed, ['publish']);
  const flaky = run.tasks.find((t: { task: string }) => t.task === 'flaky');
  assert.equal(flaky.attempts, 3);
  assert.deepEqual(flaky.metrics, { f1: 0.9 });
  const tries = flaky.tries as {
    attempt: number;
    status: string;
    started: string;
    finished: string;
    retry_delay_ms?: number;
    reason?: string;
  }[];
  assert.deepEqual(
    tries.map((a) => [a.attempt, a.status, a.retry_delay_ms, a.reason]),
    [
      [1, 'failed', undefined, 'exit code 3'],
      [2, 'failed', 300, 'exit code 3'],
      [3, 'success', 600, undefined],
    ],
  );
  // Each wait is at least the retry delay (exponential: 300 ms, then 600 ms).
  for (const i of [1, 2]) {
    const wait = Date.parse(tries[i]!.started) - Date.parse(tries[i - 1]!.finished);
    assert.ok(wait >= tries[i]!.retry_delay_ms! - 5, `wait ${wait} ms before attempt ${i + 1}`);
  }
  const text = cli(['history', 'h.pipeline.yaml'], { cwd: dir }).stdout;
  assert.match(text, /flaky +success +3 \(waited \d+ms, \d+ms\)/);
  assert.match(text, /^ {2}metrics of flaky: f1 0\.9$/m);
  assert.match(text, /^ {2}not run \(upstream failed\): publish$/m);
  assert.match(text, /^ {2}skipped \(already complete\): ready$/m);
});
