/** HDFS target strings: parsed as their own kind, matched into data edges like local paths, never checked on disk. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hdfsTargetId } from '../graph/hdfsTarget';
import { toGraphModel } from '../protocol/graphModel';
import { validate } from '../validate/validate';

const text = `pipeline: h
params: { day: "2024-01-31" }
sources: ["webhdfs://nn:9870/landing/"]
tasks:
  import:
    run: echo import
    inputs: ["webhdfs://nn:9870/landing/\${params.day}.csv"]
    outputs: ["webhdfs://nn:9870/raw/\${params.day}/"]
  clean:
    run: echo clean
    inputs: ["webhdfs://nn:9870//raw/./2024-01-31/part-0.csv"]
    outputs: ["hdfs:///clean/\${params.day}.csv"]
  report:
    run: echo report
    inputs: ["hdfs:///clean/2024-01-31.csv", "hdfs:///elsewhere/x.csv"]
    outputs: [report.txt]
`;

test('HDFS targets make data edges exactly like paths, including inside a folder', () => {
  const v = validate(text, { host: { exists: () => false } });
  assert.deepEqual(
    v.findings.map((f) => f.code),
    [],
    'no missing-input for HDFS inputs (checked only by validate --remote)',
  );
  const t = v.pipeline.tasks[0]!;
  assert.equal(t.inputs[0]?.kind, 'hdfs');
  const edges = v.graph.edges.map(
    (e) => `${v.graph.nodes[e.from]?.name}->${v.graph.nodes[e.to]?.name} via ${e.via}`,
  );
  assert.deepEqual(edges.sort(), [
    'clean->report via hdfs:///clean/2024-01-31.csv',
    'import->clean via webhdfs://nn:9870/raw/2024-01-31/part-0.csv',
  ]);
});

test('ids are normalised; RPC addresses and globs are schema errors', () => {
  assert.equal(hdfsTargetId('WEBHDFS://nn:9870/a//b/../c/'), 'webhdfs://nn:9870/a/c');
  assert.equal(hdfsTargetId('hdfs:///'), 'hdfs:///');
  const bad = validate(`pipeline: b
tasks:
  t:
    run: echo
    inputs: ["hdfs://nn:8020/data/x", "webhdfs://nn:9870/data/*.csv", "webhdfs:///x"]
`);
  const msgs = bad.findings.map((f) => `${f.code}: ${f.message}`);
  assert.equal(msgs.length, 3, msgs.join('\n'));
  assert.match(msgs[0]!, /schema: hdfs:\/\/nn:8020\/… is a NameNode RPC address/);
  assert.match(msgs[1]!, /cannot be globs/);
  assert.match(msgs[2]!, /needs a HOST:PORT/);
});

test('the graph shows HDFS targets: data edges labelled with them, an HDFS source as a node', () => {
  const m = toGraphModel(validate(text));
  const edges = m.edges.map((e) => `${e.source}->${e.target}${e.label ? ` (${e.label})` : ''}`);
  assert.ok(
    edges.includes('import->clean (webhdfs://nn:9870/raw/2024-01-31/part-0.csv)'),
    edges.join('\n'),
  );
  assert.ok(edges.includes('source:webhdfs://nn:9870/landing->import'), edges.join('\n'));
  const imp = m.nodes.find((n) => n.id === 'import');
  assert.deepEqual(
    imp?.outputs,
    ['webhdfs://nn:9870/raw/${params.day}/'],
    'as written, so panel edits round-trip',
  );
});
