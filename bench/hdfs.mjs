// Benchmark: `tributary hdfs put` of a 200 MB file to the WebHDFS test server (NameNode 307 →
// DataNode, temp name + rename), side by side in the same run with baselines that send the same
// bytes to the same server: curl -T (the documented two steps), a bare Node http.request pipe, and
// a plain fetch PUT of a streamed body.
// Measures throughput (median of RUNS) and peak RSS (/usr/bin/time's maximum resident set).
// Run: npm run build && node --import tsx bench/hdfs.mjs
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startWebHdfs } from '../runner/test/webhdfsServer.ts';
import { median } from './generate.mjs';

const CLI = path.resolve('dist/cli.js');
const MB = 1024 * 1024;
const SIZE_MB = 200;
const RUNS = 3;

/** Runs a command under /usr/bin/time; returns wall seconds and peak RSS in MB. */
function timed(cmd, args, env = {}) {
  return new Promise((resolve, reject) => {
    let err = '';
    const child = spawn('/usr/bin/time', ['-f', 'TIME %e %M', cmd, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => {
      const m = /TIME ([\d.]+) (\d+)/.exec(err);
      if (code !== 0 || !m) return reject(new Error(`${cmd} failed (${code}): ${err}`));
      resolve({ seconds: Number(m[1]), rssMb: Number(m[2]) / 1024 });
    });
  });
}

async function dataNodeLocation(server, p) {
  const r = await fetch(`${server.url}/webhdfs/v1${p}?op=CREATE&overwrite=true&user.name=bench`, {
    method: 'PUT',
    redirect: 'manual',
  });
  return r.headers.get('location');
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-hdfs-'));
const file = path.join(dir, 'large.bin');
const fd = fs.openSync(file, 'w');
for (let i = 0; i < SIZE_MB; i++) fs.writeSync(fd, randomBytes(MB));
fs.closeSync(fd);
const nodePut = path.join(dir, 'put.mjs');
fs.writeFileSync(
  nodePut,
  `import fs from 'node:fs'; import http from 'node:http';
const [loc, f] = process.argv.slice(2);
const req = http.request(loc, { method: 'PUT', headers: { 'content-length': fs.statSync(f).size, 'content-type': 'application/octet-stream' } }, (r) => { r.resume(); r.on('end', () => process.exit(r.statusCode === 201 ? 0 : 1)); });
fs.createReadStream(f).pipe(req);\n`,
);

// The obvious fetch upload: a streamed body with the default redirect mode (fetch then tees it).
const fetchPut = path.join(dir, 'fetch.mjs');
fs.writeFileSync(
  fetchPut,
  `import fs from 'node:fs'; import { Readable } from 'node:stream';
const [loc, f] = process.argv.slice(2);
const r = await fetch(loc, { method: 'PUT', body: Readable.toWeb(fs.createReadStream(f)), duplex: 'half', headers: { 'content-type': 'application/octet-stream' } });
process.exit(r.status === 201 ? 0 : 1);\n`,
);

const server = await startWebHdfs();
const rows = [];
try {
  const contenders = [
    {
      name: 'tributary hdfs put',
      run: () =>
        timed(process.execPath, [CLI, 'hdfs', 'put', file, 'hdfs:///bench/large.bin'], {
          TRIBUTARY_WEBHDFS_URL: server.url,
          TRIBUTARY_HDFS_USER: 'bench',
        }),
    },
    {
      name: 'curl -T (two documented steps)',
      run: async () =>
        timed('curl', ['-sSf', '-T', file, await dataNodeLocation(server, '/bench/curl.bin')]),
    },
    {
      name: 'node http.request pipe',
      run: async () =>
        timed(process.execPath, [nodePut, await dataNodeLocation(server, '/bench/node.bin'), file]),
    },
    {
      name: 'plain fetch PUT (streamed body, default redirect mode)',
      run: async () =>
        timed(process.execPath, [
          fetchPut,
          await dataNodeLocation(server, '/bench/fetch.bin'),
          file,
        ]),
    },
  ];
  for (const c of contenders) {
    const results = [];
    for (let i = 0; i < RUNS; i++) results.push(await c.run());
    rows.push({
      name: c.name,
      mbPerS: SIZE_MB / median(results.map((r) => r.seconds)),
      rssMb: Math.max(...results.map((r) => r.rssMb)),
    });
  }
} finally {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(
  `upload of a ${SIZE_MB} MB file to the WebHDFS test server (127.0.0.1), median of ${RUNS}\n`,
);
console.log('| client | throughput | peak RSS |');
console.log('| --- | --- | --- |');
for (const r of rows)
  console.log(`| ${r.name} | ${r.mbPerS.toFixed(0)} MB/s | ${r.rssMb.toFixed(0)} MB |`);
