// Benchmark: parse + validate + graph for 100, 1,000 and 5,000 tasks in three shapes.
// Baselines in the same run: the yaml package's parse to JS (yaml.parse) and to a document
// with source ranges (parseDocument, the floor for any parser built on `yaml`).
// Run: node --expose-gc --import tsx bench/validate.mjs
import { parse, parseDocument } from 'yaml';
import { topologicalOrder } from '../core/graph/algorithms.ts';
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

const rows = [];
for (const n of [100, 1000, 5000]) {
  for (const kind of ['chain', 'wide', 'layered']) {
    const text = pipelineYaml(shape(kind, n), { command: 'python step.py {name}' });
    validate(text); // warm up the JIT
    const ours = time(() => {
      const v = validate(text);
      topologicalOrder(v.graph);
      if (v.findings.length > 0) throw new Error(v.findings[0].message);
    });
    const base = time(() => parse(text));
    const floor = time(() => parseDocument(text, { uniqueKeys: false }));
    rows.push({
      tasks: n,
      shape: kind,
      'tributary ms': ours.toFixed(1),
      'yaml.parse ms': base.toFixed(1),
      'parseDocument ms': floor.toFixed(1),
      'ours − parseDocument': (ours - floor).toFixed(1),
    });
  }
}
console.table(rows);
