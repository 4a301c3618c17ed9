/** Contract audit (section 4): the read-only commands piped into `head`, bad flag values and oversized or binary files. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, cli, tempDir, writeTree } from './cliHelpers';

const PIPELINE = `pipeline: audit
tasks:
${Array.from({ length: 400 }, (_, i) => `  t${i}:\n    run: mkdir -p out && echo ${i} > out/${i}.txt\n    outputs: [out/${i}.txt]\n`).join('')}`;

/** Runs `tributary ARGS | head -1` in a real shell: the reader goes away after one line. */
function piped(dir: string, args: string): { code: number | null; stderr: string } {
  // PIPESTATUS[0] is the CLI's own exit code; its stderr goes to a file the test reads.
  const r = spawnSync(
    'bash',
    [
      '-c',
      `"${process.execPath}" "${CLI}" ${args} 2>err.txt | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`,
    ],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 },
  );
  return {
    code: Number(r.stdout.trim()),
    stderr: fs.readFileSync(path.join(dir, 'err.txt'), 'utf8'),
  };
}

test('plan, status, history, lineage, export and validate end quietly when their reader closes the pipe (no EPIPE stack trace)', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': PIPELINE });
  assert.equal(cli(['run', 'p.pipeline.yaml', '--workers', '2'], { cwd: dir }).code, 0);
  for (const args of [
    'plan p.pipeline.yaml',
    'plan p.pipeline.yaml --json',
    'status p.pipeline.yaml',
    'status p.pipeline.yaml --json',
    'history p.pipeline.yaml',
    'history p.pipeline.yaml --json',
    'lineage p.pipeline.yaml out/3.txt --json',
    'export p.pipeline.yaml --to luigi',
  ]) {
    const r = piped(dir, args);
    assert.doesNotMatch(r.stderr, /EPIPE|node:events|\n\s+at /, `${args}: ${r.stderr}`);
    assert.equal(r.code, 0, `${args}: exit ${r.code}, stderr ${r.stderr}`);
  }
});

test('history --limit with a bad value names --limit, not --workers', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': PIPELINE });
  const r = cli(['history', 'p.pipeline.yaml', '--limit', '-1'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^tributary: --limit expects a whole number ≥ 1, got '-1'\n$/);
});

test('a pipeline file far larger than any pipeline is refused at once in one line, exit 2', () => {
  const dir = tempDir();
  const file = path.join(dir, 'big.pipeline.yaml');
  // 40 MB of lines that parse (slowly, in gigabytes) as duplicate keys.
  fs.writeFileSync(file, 'x: yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\n'.repeat(1_100_000));
  for (const cmd of ['run', 'validate', 'plan']) {
    const t0 = Date.now();
    const r = cli([cmd, 'big.pipeline.yaml'], { cwd: dir });
    assert.equal(r.code, 2, `${cmd}: ${r.stderr.slice(0, 300)}`);
    assert.match(
      r.stderr,
      /^tributary: big\.pipeline\.yaml: \d+ MB is too large for a pipeline file \(at most 16 MB\)\n$/,
    );
    assert.equal(r.stdout, '');
    // Refused before parsing: well under the minutes a parse takes (generous for a loaded machine).
    assert.ok(Date.now() - t0 < 20_000, `${cmd} took ${Date.now() - t0} ms`);
  }
});

test('a binary file (NUL bytes) is refused in one line as not a pipeline file, exit 2', () => {
  const dir = tempDir();
  const bytes = Buffer.alloc(64 * 1024);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) % 256;
  fs.writeFileSync(path.join(dir, 'bin.pipeline.yaml'), bytes);
  for (const cmd of ['run', 'validate', 'status']) {
    const r = cli([cmd, 'bin.pipeline.yaml'], { cwd: dir });
    assert.equal(r.code, 2, `${cmd}: ${r.stderr.slice(0, 300)}`);
    assert.equal(
      r.stderr,
      'tributary: bin.pipeline.yaml: a binary file (it holds NUL bytes), not a pipeline file\n',
    );
  }
});

test('a device that never ends (/dev/zero) is refused at the size limit, not read forever; a pipe (<(…)) is read', () => {
  const r = cli(['validate', '/dev/zero']);
  assert.equal(r.code, 2, r.stderr.slice(0, 300));
  assert.equal(
    r.stderr,
    'tributary: /dev/zero: more than 16 MB is too large for a pipeline file\n',
  );
  const dir = tempDir();
  const piped = spawnSync(
    'bash',
    [
      '-c',
      `"${process.execPath}" "${CLI}" validate <(printf 'pipeline: p\\ntasks:\\n  a:\\n    run: echo hi\\n')`,
    ],
    { cwd: dir, encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(piped.status, 0, piped.stderr);
  assert.match(piped.stderr, /valid \(1 task\)\n$/);
});

test('a task named as an instance (extract@KEY, as the output shows it) gets the --partition form in the error', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml':
      'pipeline: d\npartitions: { values: [eu, us] }\ntasks:\n  extract:\n    run: echo ${partition}\n',
  });
  for (const cmd of ['run', 'plan']) {
    const r = cli([cmd, 'p.pipeline.yaml', 'extract@eu'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      "tributary: unknown task 'extract@eu': to run one partition of a task, write extract --partition eu\n",
    );
  }
});
