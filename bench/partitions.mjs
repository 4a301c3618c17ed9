// Benchmark: the core of a partitioned plan — 3 years of daily partitions × 10 partitioned tasks
// (+ 1 unpartitioned task over all of them): ~11,000 task instances. Measures listing the keys
// (DST-correct periods through Intl), expanding to instances with their values and edges, and
// the whole (parse + validate + keys + expansion), also once cold (first call, nothing memoised). Baselines in the same run: the same expansion
// with `values:` partitions (no calendar work), and parse + validate + graph of a plain pipeline
// with as many tasks as there are instances (what planning that many tasks costs today).
// Run: node --expose-gc --import tsx bench/partitions.mjs
import { topologicalOrder } from '../core/graph/algorithms.ts';
import { expandPartitions } from '../core/partitions/expand.ts';
import { allKeys, resolvePartitions } from '../core/partitions/partitions.ts';
import { validate } from '../core/validate/validate.ts';
import { median, pipelineYaml, shape } from './generate.mjs';

const RUNS = Number(process.env.RUNS ?? 9);
const time = (fn) => {
  const xs = [];
  for (let i = 0; i < RUNS; i++) {
    globalThis.gc?.();
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return median(xs);
};

function partitionedYaml(zone) {
  const lines = [
    'pipeline: bench',
    'partitions:',
    '  daily:',
    '    start: "2022-01-01"',
    '    end: "2024-12-31"',
    `    timezone: ${zone}`,
    'tasks:',
  ];
  for (let i = 0; i < 10; i++) {
    lines.push(
      `  t${i}:`,
      `    run: "python step${i}.py --day \${partition} --from \${partition.start}"`,
    );
    lines.push(`    outputs: ["out/t${i}/\${partition}.csv"]`);
    if (i > 0) lines.push(`    inputs: ["out/t${i - 1}/\${partition}.csv"]`);
  }
  lines.push('  train:', '    needs: [t9]', '    run: python train.py out/t9/');
  return lines.join('\n') + '\n';
}

const NOW = Date.parse('2026-01-01T00:00:00Z');
const rows = [];
for (const zone of ['UTC', 'Europe/Paris', 'America/New_York']) {
  const text = partitionedYaml(zone);
  // Once, before anything of this zone is memoised: what a one-shot `tributary plan` pays.
  const t0 = performance.now();
  {
    const w = validate(text);
    const p = resolvePartitions(w.pipeline.partitions);
    expandPartitions(w.pipeline, p, allKeys(p, NOW), w.graph);
  }
  const firstMs = performance.now() - t0;
  const v = validate(text);
  if (v.findings.length > 0) throw new Error(v.findings[0].message);
  const parts = resolvePartitions(v.pipeline.partitions);
  const keys = allKeys(parts, NOW);
  const x = expandPartitions(v.pipeline, parts, keys, v.graph);
  const valuesParts = { kind: 'values', values: keys };
  const listMs = time(() => allKeys(parts, NOW));
  const expandMs = time(() => expandPartitions(v.pipeline, parts, keys, v.graph));
  const floorMs = time(() => expandPartitions(v.pipeline, valuesParts, keys, v.graph));
  const wholeMs = time(() => {
    const w = validate(text);
    const p = resolvePartitions(w.pipeline.partitions);
    expandPartitions(w.pipeline, p, allKeys(p, NOW), w.graph);
  });
  rows.push({
    zone,
    keys: keys.length,
    instances: x.instances.length,
    edges: x.edgeCount,
    'list keys ms': listMs.toFixed(1),
    'expand ms': expandMs.toFixed(1),
    'expand, no calendar ms': floorMs.toFixed(1),
    'whole ms': wholeMs.toFixed(1),
    'first call ms': firstMs.toFixed(1),
  });
}
console.table(rows);

// Baseline: a plain pipeline with as many tasks as instances (chains of 11 like the one above).
const n = rows[0].instances;
const plain = pipelineYaml(shape('chain', n), { command: 'python step.py {name}', outputs: true });
const plainMs = time(() => {
  const v = validate(plain);
  topologicalOrder(v.graph);
});
console.log(
  `baseline: parse + validate + graph + order of a plain ${n}-task pipeline: ${plainMs.toFixed(1)} ms`,
);
