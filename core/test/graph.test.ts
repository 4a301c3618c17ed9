import assert from 'node:assert/strict';
import { test } from 'node:test';
import { downstreamOf, structureKey, topologicalOrder, upstreamOf } from '../graph/algorithms';
import { buildGraph } from '../graph/graph';
import { parsePipeline } from '../parse/parse';

const text = `pipeline: g
params: { day: "d1" }
tasks:
  report:
    run: echo report
    needs: [features]
  features:
    run: echo f
    inputs: ["data/clean/\${params.day}/part.csv", "data/lookup/*.csv"]
    outputs: [data/features.csv]
  clean:
    run: echo c
    inputs: [data/raw.csv]
    outputs: ["data/clean/\${params.day}/"]
  lookup:
    run: echo l
    outputs: [data/lookup/a.csv]
  extract:
    run: echo e
    outputs: [./data/raw.csv]
`;

const names = (g: ReturnType<typeof buildGraph>, set: Iterable<number>) =>
  [...set].map((i) => g.nodes[i]?.name).sort();

test('graph: needs edges and data edges from equal, inside and glob inputs', () => {
  const g = buildGraph(parsePipeline(text).pipeline);
  const edges = g.edges
    .map(
      (e) =>
        `${g.nodes[e.from]?.name}->${g.nodes[e.to]?.name}:${e.kind}${e.via ? `(${e.via})` : ''}`,
    )
    .sort();
  assert.deepEqual(edges, [
    'clean->features:data(data/clean/d1/part.csv)',
    'extract->clean:data(data/raw.csv)',
    'features->report:needs',
    'lookup->features:data(data/lookup/*.csv)',
  ]);
});

test('graph: params overrides change the inferred edges', () => {
  const g = buildGraph(
    parsePipeline(text.replace('"data/clean/${params.day}/"', '"data/clean/fixed/"')).pipeline,
  );
  assert.ok(
    !g.edges.some((e) => g.nodes[e.from]?.name === 'clean' && g.nodes[e.to]?.name === 'features'),
  );
});

test('graph: topological order respects every edge and keeps document order on ties', () => {
  const g = buildGraph(parsePipeline(text).pipeline);
  const order = topologicalOrder(g);
  assert.ok(order);
  const pos = new Map(order.map((n, i) => [n, i]));
  for (const e of g.edges) assert.ok((pos.get(e.from) ?? 0) < (pos.get(e.to) ?? 0));
  assert.deepEqual(
    order.map((i) => g.nodes[i]?.name),
    ['lookup', 'extract', 'clean', 'features', 'report'],
  );
});

test('graph: upstream and downstream sets', () => {
  const g = buildGraph(parsePipeline(text).pipeline);
  const idx = (n: string) => g.index.get(n) as number;
  assert.deepEqual(names(g, upstreamOf(g, [idx('report')])), [
    'clean',
    'extract',
    'features',
    'lookup',
  ]);
  assert.deepEqual(names(g, downstreamOf(g, [idx('clean')])), ['features', 'report']);
  assert.deepEqual(names(g, downstreamOf(g, [idx('report')])), []);
});

test('graph: a cycle has no topological order', () => {
  const g = buildGraph(
    parsePipeline('pipeline: c\ntasks:\n  a: {run: x, needs: [b]}\n  b: {run: x, needs: [a]}\n')
      .pipeline,
  );
  assert.equal(topologicalOrder(g), undefined);
});

test('graph: the structure key ignores commands but not names or edges', () => {
  const key = (t: string) => structureKey(buildGraph(parsePipeline(t).pipeline));
  const base = key(text);
  assert.equal(key(text.replace('echo report', 'python report.py --verbose')), base);
  assert.notEqual(key(text.replace('needs: [features]', 'needs: [clean]')), base);
  assert.notEqual(key(text.replace('lookup:', 'lookup2:')), base);
});

test('graph: a 10,000-task chain is ordered without overflowing the stack', () => {
  const lines = ['pipeline: chain', 'tasks:'];
  for (let i = 0; i < 10000; i++)
    lines.push(`  t${i}:`, '    run: ":"', ...(i > 0 ? [`    needs: [t${i - 1}]`] : []));
  const g = buildGraph(parsePipeline(lines.join('\n')).pipeline);
  assert.equal(topologicalOrder(g)?.length, 10000);
  assert.equal(upstreamOf(g, [9999]).size, 9999);
});
