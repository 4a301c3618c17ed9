/** HDFS targets in real runs against the WebHDFS test server: complete, changed, deleted, and a NameNode that is down. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, tempDir, writeTree } from './cliHelpers';
import { cliAsync } from './hdfsCli';
import { finished, lastRun, started } from './runHelpers';
import { startWebHdfs, type WebHdfsTestServer } from './webhdfsServer';

let server: WebHdfsTestServer;
let dir: string;
const env = () => ({ TRIBUTARY_WEBHDFS_URL: server.url, TRIBUTARY_HDFS_USER: 'etl' });
const tributary = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  cliAsync(args, { cwd: dir, env: { ...env(), ...extra } });

// import lands a local folder in HDFS; count reads one file inside it (an edge "inside a folder").
const pipeline = `pipeline: hdfs
params:
  day: "2024-01-31"
sources: [incoming/]
tasks:
  import:
    run: node ${JSON.stringify(CLI)} hdfs put incoming hdfs:///raw/\${params.day}
    inputs: [incoming/]
    outputs: ["hdfs:///raw/\${params.day}/"]
  count:
    run: node ${JSON.stringify(CLI)} hdfs get hdfs:///raw/\${params.day}/day.csv got.csv && wc -l < got.csv > count.txt
    inputs: ["hdfs:///raw/\${params.day}/day.csv"]
    outputs: [count.txt]
  liar:
    run: "true"
    outputs: ["webhdfs://\${env.NN}/never/written.csv"]
`;

before(async () => {
  server = await startWebHdfs();
  dir = writeTree(tempDir('tributary-hdfs-run-'), {
    'h.pipeline.yaml': pipeline,
    'incoming/day.csv': 'a\nb\nc\n',
  });
});
after(async () => {
  await server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a task writing an HDFS path feeds the one reading its folder; the second run does nothing', async () => {
  const v = await tributary(['validate', 'h.pipeline.yaml']);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  const first = await tributary(['run', 'h.pipeline.yaml', 'import', 'count']);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.deepEqual(started(lastRun(dir)), ['import', 'count'], 'count waited for import');
  assert.equal(server.readFile('/raw/2024-01-31/day.csv').toString(), 'a\nb\nc\n');
  assert.equal(fs.readFileSync(path.join(dir, 'count.txt'), 'utf8').trim(), '3');

  const lineage = await tributary([
    'lineage',
    'h.pipeline.yaml',
    'hdfs:///raw//2024-01-31/day.csv',
    '--json',
  ]);
  assert.equal(lineage.code, 0, lineage.stderr);
  const node = JSON.parse(lineage.stdout) as {
    kind: string;
    task: string;
    inputs: { path: string; kind: string }[];
  };
  assert.equal(node.kind, 'produced');
  assert.equal(node.task, 'import');
  assert.deepEqual(
    node.inputs.map((i) => `${i.path} ${i.kind}`),
    ['incoming source'],
  );
  const countLineage = await tributary(['lineage', 'h.pipeline.yaml', 'count.txt', '--json']);
  const counted = JSON.parse(countLineage.stdout) as {
    inputs: { path: string; task: string; signature: string }[];
  };
  assert.equal(counted.inputs[0]?.path, 'hdfs:///raw/2024-01-31/day.csv');
  assert.equal(counted.inputs[0]?.task, 'import');
  assert.match(
    counted.inputs[0]?.signature ?? '',
    /^6:\d+$/,
    'length:modificationTime from the NameNode',
  );

  const second = await tributary(['run', 'h.pipeline.yaml', 'import', 'count']);
  assert.equal(second.code, 0, second.stdout + second.stderr);
  assert.deepEqual(finished(lastRun(dir)), { import: 'complete', count: 'complete' });
});

test('a changed HDFS file makes its readers stale; a deleted one reruns its writer', async () => {
  server.writeFile('/raw/2024-01-31/day.csv', 'a\nb\nc\nd\n', 'etl');
  const plan = await tributary(['plan', 'h.pipeline.yaml', 'import', 'count']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.match(plan.stdout, /count\s+run\s+input hdfs:\/\/\/raw\/2024-01-31\/day\.csv changed/);
  assert.match(plan.stdout, /import\s+skip/);
  const rerun = await tributary(['run', 'h.pipeline.yaml', 'import', 'count']);
  assert.equal(rerun.code, 0, rerun.stdout + rerun.stderr);
  assert.deepEqual(started(lastRun(dir)), ['count']);
  assert.equal(fs.readFileSync(path.join(dir, 'count.txt'), 'utf8').trim(), '4');

  const rm = await tributary(['hdfs', 'rm', 'hdfs:///raw/2024-01-31']);
  assert.equal(rm.code, 0, rm.stderr);
  const status = await tributary(['status', 'h.pipeline.yaml', '--json']);
  const rows = JSON.parse(status.stdout).tasks as { task: string; state: string; reason: string }[];
  assert.deepEqual(
    rows.find((r) => r.task === 'import'),
    {
      ...rows.find((r) => r.task === 'import')!,
      state: 'stale',
      reason: 'output hdfs:///raw/2024-01-31 missing',
    },
  );
  const again = await tributary(['run', 'h.pipeline.yaml', 'import', 'count']);
  assert.equal(again.code, 0, again.stdout + again.stderr);
  assert.deepEqual(started(lastRun(dir)), ['import', 'count']);
  assert.equal(fs.readFileSync(path.join(dir, 'count.txt'), 'utf8').trim(), '3');
});

test('a task that exits 0 without writing its HDFS output fails, naming it', async () => {
  // ${env.NN} in the target is filled in at run time.
  const r = await tributary(['run', 'h.pipeline.yaml', 'liar'], { NN: server.authority });
  assert.equal(r.code, 1);
  const events = lastRun(dir);
  const done = events.find((e) => e.event === 'task_finished' && e.task === 'liar');
  assert.ok(done && done.event === 'task_finished');
  assert.equal(
    done.message,
    `exited 0 but did not create its output webhdfs://${server.authority}/never/written.csv`,
  );
});

test('a NameNode that cannot be reached fails the run before any task starts, in one line', async () => {
  const down = await startWebHdfs();
  const url = down.url;
  await down.stop();
  const before = fs.readFileSync(path.join(dir, 'count.txt'), 'utf8');
  const r = await tributary(['run', 'h.pipeline.yaml', '--force'], { TRIBUTARY_WEBHDFS_URL: url });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `^tributary: cannot check hdfs:///\\S+: cannot reach the WebHDFS NameNode at ${url} \\(ECONNREFUSED\\)$`,
      'm',
    ),
  );
  assert.deepEqual(started(lastRun(dir)), []);
  assert.equal(fs.readFileSync(path.join(dir, 'count.txt'), 'utf8'), before);
  for (const cmd of ['plan', 'status']) {
    const p = await tributary([cmd, 'h.pipeline.yaml'], { TRIBUTARY_WEBHDFS_URL: url });
    assert.equal(p.code, 2, `${cmd}: ${p.stdout}${p.stderr}`);
    assert.match(
      p.stderr.trim(),
      /^tributary: cannot check hdfs:\/\/\/\S+: cannot reach the WebHDFS NameNode at /,
    );
    assert.equal(p.stderr.trim().split('\n').length, 1);
  }
});

test('validate --remote reports an HDFS input that nothing produces and HDFS does not have', async () => {
  const d = writeTree(tempDir('tributary-hdfs-validate-'), {
    'v.pipeline.yaml': `pipeline: v
tasks:
  use:
    run: echo
    inputs: ["hdfs:///landing/feed.csv", "hdfs:///made/x.csv"]
    outputs: [out.txt]
  make:
    run: echo
    outputs: ["hdfs:///made/"]
`,
  });
  const v = (args: string[]) =>
    cliAsync(['validate', 'v.pipeline.yaml', ...args], { cwd: d, env: env() });
  assert.equal((await v([])).code, 0, 'without --remote HDFS is not asked');
  const missing = await v(['--remote']);
  assert.equal(missing.code, 1);
  assert.equal(
    missing.stdout,
    "v.pipeline.yaml:5:14: error: input 'hdfs:///landing/feed.csv' of 'use' is not produced by any task, not listed in sources and not in HDFS [missing-input]\n",
  );
  server.writeFile('/landing/feed.csv', 'x');
  assert.equal((await v(['--remote'])).code, 0);
  const gone = await startWebHdfs();
  await gone.stop();
  const down = await cliAsync(['validate', 'v.pipeline.yaml', '--remote'], {
    cwd: d,
    env: { TRIBUTARY_WEBHDFS_URL: gone.url },
  });
  assert.equal(down.code, 1);
  assert.match(
    down.stderr.trim(),
    /^tributary: cannot check HDFS inputs: cannot reach the WebHDFS NameNode at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/,
  );
  fs.rmSync(d, { recursive: true, force: true });
});
