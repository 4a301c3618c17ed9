/** A pipeline file above the parse cache's threshold (64 KB): parsed block by block, same runs and messages. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parsePipeline } from '../../core/parse/parse';
import { parseCached } from '../parseCache';
import { cli, tempDir } from './cliHelpers';

/** ~700 tasks in a chain of ten, with the shapes real files have (schedule, quotes, &&, *). */
function largePipeline(n: number): string {
  const lines = ['pipeline: big', "schedule: '0 0 * * *'", 'params:', '  day: "d1"', 'tasks:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  t${i}:`, `    description: "step ${i} && more: *.csv"`);
    lines.push(`    run: mkdir -p out && echo '\${params.day}' > out/t${i}.txt`);
    if (i % 10 > 0) lines.push(`    needs: [t${i - 1}]`);
    lines.push(`    outputs: [out/t${i}.txt]`);
  }
  return lines.join('\n') + '\n';
}

test('a large file: the block parse equals the full parse; a run, then a no-op re-run from the cache', () => {
  const dir = tempDir();
  const text = largePipeline(700);
  assert.ok(text.length > 64 * 1024, `${text.length} bytes`);
  const file = path.join(dir, 'p.pipeline.yaml');
  fs.writeFileSync(file, text);
  const full = parsePipeline(text);
  const { doc: _doc, ...fullRest } = full;
  const blocks = parseCached(file, text);
  assert.equal(blocks.cached, undefined);
  assert.equal(
    'doc' in blocks && blocks.doc !== undefined,
    false,
    'the block parse keeps no document',
  );
  assert.deepEqual(JSON.parse(JSON.stringify(blocks)), JSON.parse(JSON.stringify(fullRest)));
  fs.rmSync(path.join(dir, '.tributary'), { recursive: true, force: true });

  const r = cli(['run', 'p.pipeline.yaml', '--workers', '2'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /700 ran, 700 succeeded/);
  assert.equal(fs.readFileSync(path.join(dir, 'out/t699.txt'), 'utf8'), 'd1\n');
  const again = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr + again.stdout);
  assert.match(again.stdout, /0 ran.*700 already complete/);
});

test('a large file with a mistake: the same messages as the full parse gives', () => {
  const dir = tempDir();
  // A task needing one that does not exist; a syntax error inside a block.
  const variants = [
    { text: largePipeline(700).replace('needs: [t5]', 'needs: [nope]'), says: /nope/ },
    { text: largePipeline(700) + '  bad: [unclosed\n', says: /yaml-syntax/ },
  ];
  for (const { text, says } of variants) {
    fs.writeFileSync(path.join(dir, 'p.pipeline.yaml'), text);
    fs.writeFileSync(path.join(dir, 'q.pipeline.yaml'), text);
    const big = cli(['validate', 'p.pipeline.yaml'], { cwd: dir });
    const whole = cli(['validate', 'q.pipeline.yaml'], {
      cwd: dir,
      env: { ...process.env, TRIBUTARY_BLOCK_PARSE: '0' },
    });
    assert.notEqual(big.code, 0);
    assert.equal(big.code, whole.code);
    assert.equal(big.stdout.replaceAll('p.pipeline', 'q.pipeline'), whole.stdout);
    assert.match(big.stdout, says);
  }
});

test('a large file validated clean before: an input gone from disk or another param is still an error', () => {
  const dir = tempDir();
  const reader = [
    '  reader:',
    "    run: mkdir -p out && cat 'data/${params.day}.csv' > out/reader.txt",
    '    inputs: ["data/${params.day}.csv"]',
    '    outputs: [out/reader.txt]',
  ];
  fs.writeFileSync(
    path.join(dir, 'p.pipeline.yaml'),
    largePipeline(700) + reader.join('\n') + '\n',
  );
  fs.mkdirSync(path.join(dir, 'data'));
  fs.writeFileSync(path.join(dir, 'data/d1.csv'), 'x\n');
  const first = cli(['run', 'p.pipeline.yaml', '--workers', '2'], { cwd: dir });
  assert.equal(first.code, 0, first.stderr + first.stdout);
  assert.ok(fs.existsSync(path.join(dir, '.tributary/cache/p.pipeline.yaml.valid.json')));
  const again = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr + again.stdout);
  assert.match(again.stdout, /0 ran.*701 already complete/);

  // The same refusal with the cache as without it (TRIBUTARY_NO_CACHE validates in full).
  const both = (args: string[]) => {
    const cached = cli(args, { cwd: dir });
    const full = cli(args, { cwd: dir, env: { ...process.env, TRIBUTARY_NO_CACHE: '1' } });
    assert.notEqual(cached.code, 0, cached.stdout);
    assert.equal(cached.code, full.code);
    assert.equal(cached.stdout + cached.stderr, full.stdout + full.stderr);
    return cached.stdout + cached.stderr;
  };
  assert.match(both(['run', 'p.pipeline.yaml', '--param', 'day=d2']), /data\/d2\.csv/);
  fs.rmSync(path.join(dir, 'data/d1.csv'));
  assert.match(
    both(['run', 'p.pipeline.yaml']),
    /input 'data\/d1\.csv' of 'reader' is not produced/,
  );
});
