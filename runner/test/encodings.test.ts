/** Pipeline files saved as UTF-16 (with a BOM) or UTF-8 with a BOM validate and run; binary and BOM-less UTF-16 are refused in one line. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { cli, tempDir } from './cliHelpers';

// Non-ASCII before a finding on its line (é is one UTF-16 unit, 📦 two): the column must be
// the one the editor shows, counted in the decoded text, not in bytes.
const BROKEN = `pipeline: enc # café — données
tasks:
  a:
    run: echo
    needs: ["📦é", b]
`;
// A task writing non-ASCII text: the decoded command reaches the shell as UTF-8.
const GOOD = `pipeline: enc # café
tasks:
  hello:
    run: printf 'héllo 📦' > out.txt
    outputs: [out.txt]
  after:
    needs: [hello]
    run: cat out.txt > copy.txt
    outputs: [copy.txt]
`;

function utf16be(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

const ENCODINGS: Record<string, (text: string) => Buffer> = {
  'UTF-16 LE with BOM': (t) =>
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
  'UTF-16 BE with BOM': (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(t)]),
  'UTF-8 with BOM': (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]),
};

function write(bytes: Buffer): string {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'p.pipeline.yaml'), bytes);
  return dir;
}

test('validate: the same findings, at the same line and column, as the UTF-8 file', () => {
  const plain = cli(['validate', 'p.pipeline.yaml'], { cwd: write(Buffer.from(BROKEN)) });
  assert.equal(plain.code, 1);
  // The plain file's own positions, as the contract counts them (1-based, UTF-16 columns).
  assert.match(plain.stdout, /^p\.pipeline\.yaml:5:13: error: 'a' needs unknown task '📦é'/m);
  assert.match(plain.stdout, /^p\.pipeline\.yaml:5:20: error: 'a' needs unknown task 'b'/m);
  for (const [name, encode] of Object.entries(ENCODINGS)) {
    const r = cli(['validate', 'p.pipeline.yaml'], { cwd: write(encode(BROKEN)) });
    assert.equal(r.code, 1, `${name}: ${r.stderr}`);
    assert.equal(r.stderr, '', name);
    assert.equal(r.stdout, plain.stdout, name);
    const json = cli(['validate', '--json', 'p.pipeline.yaml'], { cwd: write(encode(BROKEN)) });
    const plainJson = cli(['validate', '--json', 'p.pipeline.yaml'], {
      cwd: write(Buffer.from(BROKEN)),
    });
    assert.deepEqual(JSON.parse(json.stdout), JSON.parse(plainJson.stdout), name);
  }
});

test('validate and run: a clean file in each encoding is valid and runs, its text intact', () => {
  for (const [name, encode] of Object.entries(ENCODINGS)) {
    const dir = write(encode(GOOD));
    const v = cli(['validate', 'p.pipeline.yaml'], { cwd: dir });
    assert.equal(v.code, 0, `${name}: ${v.stdout}${v.stderr}`);
    const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
    assert.equal(r.code, 0, `${name}: ${r.stdout}${r.stderr}`);
    assert.equal(fs.readFileSync(path.join(dir, 'copy.txt'), 'utf8'), 'héllo 📦', name);
    // The pipeline's name came through decoded: the record says `enc`.
    const h = JSON.parse(cli(['history', '--json', 'p.pipeline.yaml'], { cwd: dir }).stdout);
    assert.equal(h.runs.length, 1, name);
    assert.equal(h.runs[0].status, 'success', name);
    // A second run finds both tasks complete: the decoded text is stable between loads.
    const again = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
    assert.equal(again.code, 0, name);
    const h2 = JSON.parse(cli(['history', '--json', 'p.pipeline.yaml'], { cwd: dir }).stdout);
    assert.deepEqual(h2.runs[0].complete, ['hello', 'after'], name);
  }
});

test('UTF-16 without a byte order mark: one line saying to save it as UTF-8, exit 2', () => {
  for (const bytes of [Buffer.from(GOOD, 'utf16le'), utf16be(GOOD)]) {
    for (const cmd of ['validate', 'run']) {
      const r = cli([cmd, 'p.pipeline.yaml'], { cwd: write(bytes) });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(
        r.stderr,
        'tributary: p.pipeline.yaml: saved as UTF-16 without a byte order mark, not readable as a pipeline file; save it as UTF-8\n',
      );
      assert.equal(r.stdout, '');
    }
  }
});

test('a real binary file is still refused in one line, also one that starts like a UTF-16 BOM', () => {
  const gz = gzipSync(Buffer.from(GOOD.repeat(50)));
  // FF FE then binary: decoded as UTF-16 it holds NUL characters, so it is binary after all.
  const fakeBom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ab\0\0cd', 'latin1')]);
  for (const bytes of [gz, fakeBom]) {
    for (const cmd of ['validate', 'run']) {
      const r = cli([cmd, 'p.pipeline.yaml'], { cwd: write(bytes) });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(
        r.stderr,
        'tributary: p.pipeline.yaml: a binary file (it holds NUL bytes), not a pipeline file\n',
      );
    }
  }
});

test('UTF-32 (either byte order) is named and refused, exit 2', () => {
  const le = Buffer.alloc(GOOD.length * 4 + 4);
  le.writeUInt32LE(0xfeff, 0);
  [...'pipeline: x\n'].forEach((c, i) => le.writeUInt32LE(c.codePointAt(0)!, 4 + i * 4));
  const be = Buffer.from(le);
  for (let i = 0; i < be.length; i += 4) be.subarray(i, i + 4).reverse();
  for (const bytes of [le, be]) {
    const r = cli(['validate', 'p.pipeline.yaml'], { cwd: write(bytes) });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(
      r.stderr,
      'tributary: p.pipeline.yaml: saved as UTF-32, not a pipeline file; save it as UTF-8\n',
    );
  }
});
