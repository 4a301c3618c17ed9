/** Task output: carriage-return progress shown live and throttled, endless lines bounded, UTF-8 kept whole. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { MAX_LINE, TaskOutput } from '../taskOutput';
import { cliSpawn, tempDir, writeTree } from './cliHelpers';

function collect(now: () => number = Date.now) {
  const log = path.join(tempDir(), 'logs', 't.log');
  const lines: string[] = [];
  const out = new TaskOutput(log, (l) => lines.push(l), now);
  return { out, lines, log };
}

test('tqdm-style progress: one update a second reaches the view, then the final state', () => {
  let t = 0;
  const { out, lines, log } = collect(() => t);
  const bars = Array.from({ length: 50 }, (_, i) => `\r${i * 2}%|${'#'.repeat(i / 5)}`);
  for (const b of bars) {
    out.write('stderr', Buffer.from(b));
    t += 100; // ten updates a second
  }
  out.write('stderr', Buffer.from('\r100%|##########\n'));
  out.write('stdout', Buffer.from('done\n'));
  out.end();
  // Updates are shown as they come, throttled to one a second (50 updates over 5 s).
  const progress = lines.filter((l) => /%\|/.test(l));
  assert.ok(progress.length >= 4 && progress.length <= 7, progress.join(' / '));
  assert.equal(progress.at(-1), '100%|##########');
  assert.equal(lines.at(-1), 'done');
  assert.ok(!lines.some((l) => l.includes('\r')));
  // The log keeps the bytes as written.
  assert.equal(fs.readFileSync(log, 'utf8'), bars.join('') + '\r100%|##########\ndone\n');
});

test('output that never ends a line is shown in bounded pieces', () => {
  const { out, lines } = collect();
  const piece = 'x'.repeat(10_000);
  for (let i = 0; i < 100; i++) out.write('stdout', Buffer.from(piece)); // 1 MB, no newline
  const shown = lines.join('').length;
  assert.ok(shown >= 1_000_000 - MAX_LINE, `only ${shown} shown before the end`);
  assert.ok(lines.every((l) => l.length <= MAX_LINE));
  out.end();
  assert.equal(lines.join('').length, 1_000_000);
});

test('a multibyte character split across chunks stays whole', () => {
  const { out, lines } = collect();
  const bytes = Buffer.from('héllo ✓\n');
  out.write('stdout', bytes.subarray(0, 2));
  out.write('stdout', bytes.subarray(2, 9));
  out.write('stdout', bytes.subarray(9));
  out.end();
  assert.deepEqual(lines, ['héllo ✓']);
});

test("tributary run shows a task's carriage-return progress while it runs", async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml':
      'pipeline: tq\ntasks:\n  t:\n    run: \'for i in 1 2 3 4 5 6; do printf "\\r%d%%" $((i*10)); sleep 0.5; done; touch finished; echo\'\n',
  });
  const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir });
  let out = '';
  let seenWhileRunning = false;
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (/\[t\]\s+\d0%/.test(out) && !fs.existsSync(path.join(dir, 'finished')))
      seenWhileRunning = true;
  });
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 0, out);
  assert.ok(seenWhileRunning, out);
});
