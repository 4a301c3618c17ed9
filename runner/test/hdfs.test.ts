/** `tributary hdfs put|get|ls|rm` against the WebHDFS test server: real CLI processes, real HTTP, real bytes. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { tempDir } from './cliHelpers';
import { cliAsync } from './hdfsCli';
import { progressLine } from '../hdfs/progress';
import { startWebHdfs, type WebHdfsTestServer } from './webhdfsServer';

let server: WebHdfsTestServer;
let dir: string;
const env = () => ({ TRIBUTARY_WEBHDFS_URL: server.url, TRIBUTARY_HDFS_USER: 'alice' });
const hdfs = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  cliAsync(['hdfs', ...args], { cwd: dir, env: { ...env(), ...extra } });

/** One line on stderr, no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at /);
  return lines[0]!;
}

before(async () => {
  server = await startWebHdfs();
  dir = tempDir('tributary-hdfs-');
});
after(async () => {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('put then get round-trips binary data under unicode names with spaces and URL characters', async () => {
  const data = Buffer.concat([
    Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
    randomBytes(70_000),
  ]);
  const local = path.join(dir, 'dätä #1?.bin');
  fs.writeFileSync(local, data);
  const target = 'hdfs:///landing/日本 語/dätä #1?%.bin';
  const put = await hdfs(['put', local, target]);
  assert.equal(put.code, 0, put.stderr);
  assert.deepEqual(server.readFile('/landing/日本 語/dätä #1?%.bin'), data);
  // Through the documented two steps: the NameNode redirects, the DataNode gets the bytes.
  assert.ok(
    server.requests.some((r) => r.node === 'datanode' && r.op === 'CREATE' && r.user === 'alice'),
  );
  assert.deepEqual(server.names('/landing/日本 語'), ['dätä #1?%.bin'], 'no temporary file left');

  const back = path.join(dir, 'back.bin');
  const get = await hdfs([
    'get',
    `webhdfs://${server.authority}/landing/日本 語/dätä #1?%.bin`,
    back,
  ]);
  assert.equal(get.code, 0, get.stderr);
  assert.deepEqual(fs.readFileSync(back), data);

  const ls = await hdfs(['ls', 'hdfs:///landing/日本 語']);
  assert.equal(ls.code, 0, ls.stderr);
  assert.match(
    ls.stdout,
    /^-rw-r--r--\s+alice supergroup\s+70256\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+dätä #1\?%\.bin\n$/,
  );
});

test('put overwrites a file, uploads and replaces folders recursively; rm deletes recursively', async () => {
  const f = path.join(dir, 'a.csv');
  fs.writeFileSync(f, 'one\n');
  assert.equal((await hdfs(['put', f, 'hdfs:///data/a.csv'])).code, 0);
  fs.writeFileSync(f, 'two, longer\n');
  assert.equal((await hdfs(['put', f, 'hdfs:///data/a.csv'])).code, 0);
  assert.equal(server.readFile('/data/a.csv').toString(), 'two, longer\n');

  const folder = path.join(dir, 'daily');
  fs.mkdirSync(path.join(folder, 'sub', 'deeper'), { recursive: true });
  fs.writeFileSync(path.join(folder, '1.csv'), '1');
  fs.writeFileSync(path.join(folder, 'sub', 'deeper', '2.csv'), '22');
  assert.equal((await hdfs(['put', folder, 'hdfs:///data/daily'])).code, 0);
  assert.equal(server.readFile('/data/daily/sub/deeper/2.csv').toString(), '22');
  fs.rmSync(path.join(folder, '1.csv'));
  fs.writeFileSync(path.join(folder, '3.csv'), '333');
  assert.equal((await hdfs(['put', folder, 'hdfs:///data/daily'])).code, 0);
  assert.deepEqual(
    server.names('/data/daily'),
    ['3.csv', 'sub'],
    'the folder is replaced, not merged',
  );
  assert.deepEqual(server.names('/data'), ['a.csv', 'daily'], 'no temporary names left');

  // A file put onto an existing folder lands inside it, as cp does.
  assert.equal((await hdfs(['put', f, 'hdfs:///data/daily'])).code, 0);
  assert.ok(server.exists('/data/daily/a.csv'));

  const ls = await hdfs(['ls', 'hdfs:///data', '--json']);
  const doc = JSON.parse(ls.stdout) as { entries: { pathSuffix: string; type: string }[] };
  assert.deepEqual(
    doc.entries.map((e) => `${e.pathSuffix}:${e.type}`),
    ['a.csv:FILE', 'daily:DIRECTORY'],
  );

  assert.equal((await hdfs(['rm', 'hdfs:///data/daily'])).code, 0);
  assert.equal(server.exists('/data/daily'), false);
  const again = await hdfs(['rm', 'hdfs:///data/daily']);
  assert.equal(again.code, 1);
  assert.equal(oneLine(again.stderr), 'tributary: File does not exist: /data/daily');
});

test('errors are one line from the RemoteException: missing file, permission denied, bad token', async () => {
  const missing = await hdfs(['get', 'hdfs:///nowhere.csv', path.join(dir, 'x')]);
  assert.equal(missing.code, 1);
  assert.equal(oneLine(missing.stderr), 'tributary: File does not exist: /nowhere.csv');

  server.mkdirAs('/locked', 'hdfs', '755');
  const f = path.join(dir, 'p.csv');
  fs.writeFileSync(f, 'x');
  const denied = await hdfs(['put', f, 'hdfs:///locked/p.csv']);
  assert.equal(denied.code, 1);
  assert.equal(
    oneLine(denied.stderr),
    'tributary: Permission denied: user=alice, access=WRITE, inode="/locked":hdfs:supergroup:drwxr-xr-x',
  );
  assert.deepEqual(server.names('/locked'), []);
  // The superuser may: the user comes from TRIBUTARY_HDFS_USER, else HADOOP_USER_NAME.
  const asHdfs = await hdfs(['put', f, 'hdfs:///locked/p.csv'], {
    TRIBUTARY_HDFS_USER: '',
    HADOOP_USER_NAME: 'hdfs',
  });
  assert.equal(asHdfs.code, 0, asHdfs.stderr);

  const bad = await hdfs(['ls', 'hdfs:///'], { TRIBUTARY_HDFS_TOKEN: 'forged' });
  assert.equal(bad.code, 1);
  assert.match(oneLine(bad.stderr), /^tributary: token \(forged\) can't be found in cache$/);
});

test('a delegation token is sent as delegation= instead of user.name', async () => {
  const s = await startWebHdfs({ tokens: { 'tok-123': 'carol' } });
  try {
    const f = path.join(dir, 't.csv');
    fs.writeFileSync(f, 'tok');
    const r = await cliAsync(['hdfs', 'put', f, `webhdfs://${s.authority}/t/t.csv`], {
      cwd: dir,
      env: { TRIBUTARY_HDFS_TOKEN: 'tok-123', TRIBUTARY_HDFS_USER: 'mallory' },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(s.requests.length > 0 && s.requests.every((q) => q.user === 'carol'));
  } finally {
    await s.stop();
  }
});

test('HttpFS: the data=true upload, and the redirect form against the same gateway', async () => {
  const s = await startWebHdfs({ httpfs: true });
  try {
    const f = path.join(dir, 'h.bin');
    const data = randomBytes(50_000);
    fs.writeFileSync(f, data);
    for (const httpfs of ['1', '']) {
      const r = await cliAsync(['hdfs', 'put', f, `webhdfs://${s.authority}/h${httpfs}.bin`], {
        cwd: dir,
        env: { TRIBUTARY_HDFS_HTTPFS: httpfs },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(s.readFile(`/h${httpfs}.bin`), data);
    }
    assert.ok(
      s.requests.every((q) => q.node === 'namenode'),
      'no DataNode with HttpFS',
    );
  } finally {
    await s.stop();
  }
});

test('the server going away mid-upload leaves nothing at the target', async () => {
  const f = path.join(dir, 'big.bin');
  fs.writeFileSync(f, randomBytes(12 * 1024 * 1024));
  fs.writeFileSync(path.join(dir, 'old.bin'), 'the previous version');
  assert.equal((await hdfs(['put', path.join(dir, 'old.bin'), 'hdfs:///cut/kept.bin'])).code, 0);
  server.failUploadsAfter = 2 * 1024 * 1024;
  try {
    const fresh = await hdfs(['put', f, 'hdfs:///cut/new.bin']);
    assert.equal(fresh.code, 1);
    assert.match(
      oneLine(fresh.stderr),
      /^tributary: cannot upload to DataNode 127\.0\.0\.1:\d+ \(.+\)$/,
    );
    const over = await hdfs(['put', f, 'hdfs:///cut/kept.bin']);
    assert.equal(over.code, 1);
  } finally {
    server.failUploadsAfter = undefined;
  }
  assert.equal(server.exists('/cut/new.bin'), false);
  assert.equal(server.readFile('/cut/kept.bin').toString(), 'the previous version');
  assert.deepEqual(server.names('/cut'), ['kept.bin'], 'the partial temporary file was deleted');
});

test('the whole server going away mid-upload leaves nothing at the target either', async () => {
  const s = await startWebHdfs();
  try {
    const f = path.join(dir, 'big2.bin');
    fs.writeFileSync(f, randomBytes(12 * 1024 * 1024));
    s.failUploadsAfter = 2 * 1024 * 1024;
    s.haltOnFailedUpload = true;
    const r = await cliAsync(['hdfs', 'put', f, `webhdfs://${s.authority}/cut/new.bin`], {
      cwd: dir,
    });
    assert.equal(r.code, 1);
    assert.match(
      oneLine(r.stderr),
      /^tributary: cannot upload to DataNode 127\.0\.0\.1:\d+ \(.+\)$/,
    );
    assert.equal(s.exists('/cut/new.bin'), false);
    // The partial upload could not be deleted (the NameNode is gone too): it keeps its hidden name.
    assert.deepEqual(
      s.names('/cut').map((n) => n.replace(/[0-9a-f]{8}/, 'X')),
      ['.new.bin.tributary-X.tmp'],
    );
  } finally {
    await s.stop();
  }
});

test('an unreachable NameNode or a missing TRIBUTARY_WEBHDFS_URL is one line, exit 1', async () => {
  const down = await startWebHdfs();
  const url = down.url;
  await down.stop();
  const r = await hdfs(['ls', 'hdfs:///x'], { TRIBUTARY_WEBHDFS_URL: url });
  assert.equal(r.code, 1);
  assert.equal(
    oneLine(r.stderr),
    `tributary: cannot reach the WebHDFS NameNode at ${url} (ECONNREFUSED)`,
  );
  const unset = await hdfs(['ls', 'hdfs:///x'], { TRIBUTARY_WEBHDFS_URL: '' });
  assert.equal(unset.code, 1);
  assert.match(oneLine(unset.stderr), /hdfs:\/\/\/ paths need TRIBUTARY_WEBHDFS_URL/);
});

test('a 200 MB upload and download stream: peak memory stays far below the file size', async (t) => {
  const f = path.join(dir, 'large.bin');
  const h = createHash('sha256');
  const fd = fs.openSync(f, 'w');
  for (let i = 0; i < 200; i++) {
    const chunk = randomBytes(1024 * 1024);
    h.update(chunk);
    fs.writeSync(fd, chunk);
  }
  fs.closeSync(fd);
  const r = await hdfs(['put', f, 'hdfs:///large/large.bin']);
  assert.equal(r.code, 0, r.stderr);
  const got = createHash('sha256').update(server.readFile('/large/large.bin')).digest('hex');
  assert.equal(got, h.digest('hex'));
  const mb = r.maxRss / 1024 / 1024;
  t.diagnostic(`peak RSS of tributary hdfs put, 200 MB file: ${mb.toFixed(0)} MB`);
  assert.ok(r.maxRss > 0, 'peak RSS was measured');
  assert.ok(mb < 150, `peak RSS ${mb.toFixed(0)} MB for a 200 MB upload`);
  fs.rmSync(f);

  // And back: the download streams too.
  const back = path.join(dir, 'large-back.bin');
  const g = await hdfs(['get', 'hdfs:///large/large.bin', back]);
  assert.equal(g.code, 0, g.stderr);
  assert.equal(createHash('sha256').update(fs.readFileSync(back)).digest('hex'), got);
  const getMb = g.maxRss / 1024 / 1024;
  t.diagnostic(`peak RSS of tributary hdfs get, 200 MB file: ${getMb.toFixed(0)} MB`);
  assert.ok(getMb < 150, `peak RSS ${getMb.toFixed(0)} MB for a 200 MB download`);
  fs.rmSync(back);
});

test('the progress line shows on a terminal for large transfers only, and is cleared at the end', () => {
  const fake = (isTTY: boolean) => {
    const out: string[] = [];
    return {
      out,
      stream: { isTTY, write: (s: string) => out.push(s) } as unknown as NodeJS.WriteStream,
    };
  };
  const tty = fake(true);
  const bar = progressLine('uploading big.bin', tty.stream);
  bar.update(9 * 1024 * 1024, 20 * 1024 * 1024);
  bar.end();
  assert.match(tty.out[0]!, /^\ruploading big\.bin: 45% \(9 of 20 MB, \d+ MB\/s\)/);
  assert.equal(tty.out.at(-1), '\r\x1b[K');
  const pipe = fake(false);
  const quiet = progressLine('uploading big.bin', pipe.stream);
  quiet.update(9 * 1024 * 1024, 20 * 1024 * 1024);
  quiet.end();
  tty.out.length = 0;
  const small = progressLine('uploading small.bin', tty.stream);
  small.update(1024, 2048);
  small.end();
  assert.deepEqual([pipe.out, tty.out], [[], []]);
});
