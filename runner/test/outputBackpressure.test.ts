/** `tributary run | slow-reader`: the runner's memory stays bounded; the log still has every line. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliSpawn, tempDir, writeTree } from './cliHelpers';
import { lastRun } from './runHelpers';

const LINES = 200_000; // of 101 bytes: ~20 MB
const LIMIT_KB = 150 * 1024;

/** Peak resident memory of a live process (kB), or undefined once it is gone. */
function peakKb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

test('a task printing ~20 MB into a slow pipe: runner peak RSS stays bounded, lines are dropped with a marker, the log is complete', async (t) => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: chatty
tasks:
  loud:
    run: seq -f '%0100g' 1 ${LINES}
`,
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  // A slow reader: one chunk (at most 64 kB) every 400 ms, far slower than the task prints.
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    child.stdout.pause();
    setTimeout(() => child.stdout.resume(), 400);
  });
  let peak = 0;
  const sample = setInterval(() => {
    peak = Math.max(peak, peakKb(child.pid!) ?? 0);
    if (peak > LIMIT_KB) child.kill('SIGKILL');
  }, 50);
  // 'close': exited, and its stdout read to the end.
  const [code] = await once(child, 'close');
  clearInterval(sample);
  t.diagnostic(`runner peak RSS ${Math.round(peak / 1024)} MB`);
  assert.ok(peak <= LIMIT_KB, `runner peak RSS ${Math.round(peak / 1024)} MB`);
  assert.equal(code, 0, stderr);
  // Never the whole stdout in a failure message: it is megabytes.
  assert.ok(stdout.length < 5e6, `${stdout.length} bytes reached the reader`);
  const shown = (re: RegExp, what: string) =>
    assert.ok(
      re.test(stdout),
      `${what}: ${stdout.length} bytes: ${stdout.slice(0, 300)}…${stdout.slice(-300)}`,
    );
  shown(
    /… \d+ lines not shown \(all are in \.tributary\/logs\/[^/]+\/\)/,
    'a dropped-lines marker',
  );
  shown(/\[loud\] ✓ succeeded/, 'the task event');
  shown(/1 succeeded/, 'the summary');
  const run = lastRun(dir)[0];
  assert.ok(run?.event === 'run_started');
  const log = fs.readFileSync(path.join(dir, '.tributary', 'logs', run.run, 'loud.log'), 'utf8');
  const lines = log.split('\n').filter((l) => /^\d{100}$/.test(l));
  assert.equal(lines.length, LINES);
  assert.equal(Number(lines.at(-1)), LINES);
});
