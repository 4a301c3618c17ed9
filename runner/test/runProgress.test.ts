/** `run` in a terminal: the progress line is redrawn now and then, not after every event. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, tempDir } from './cliHelpers';

/** `script -c` runs a shell command line: paths are single-quoted so spaces in them stay put. */
const sh = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

test('a no-op re-run of 1,500 complete tasks in a terminal draws its progress a few times and ends with the summary', () => {
  const dir = tempDir();
  const n = 1500;
  const lines = ['pipeline: many', 'tasks:'];
  fs.mkdirSync(path.join(dir, 'out'));
  for (let i = 0; i < n; i++) {
    lines.push(`  t${i}:`, `    run: touch out/t${i}`, `    outputs: [out/t${i}]`);
    if (i > 0) lines.push(`    needs: [t${i - 1}]`);
    fs.writeFileSync(path.join(dir, 'out', `t${i}`), '');
  }
  fs.writeFileSync(path.join(dir, 'p.pipeline.yaml'), lines.join('\n') + '\n');
  // `script` gives the CLI a terminal (stdout.isTTY), as when a person runs it.
  const r = spawnSync(
    'script',
    ['-qec', `${sh(process.execPath)} ${sh(CLI)} run p.pipeline.yaml`, '/dev/null'],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: '' }, maxBuffer: 1 << 26 },
  );
  assert.equal(r.status, 0, r.stdout);
  const draws = r.stdout.split(`/${n} done`).length - 1;
  // Each of the 1,500 skips redrew it before (and counted every task each time).
  assert.ok(draws >= 1, 'the progress line is shown');
  assert.ok(draws < 100, `drawn ${draws} times for ${n} events`);
  const summary = r.stdout.lastIndexOf(`${n} already complete`);
  assert.ok(summary > r.stdout.lastIndexOf(' done · '), 'nothing is drawn after the summary');
});
