// Benchmark: one graph edit (planEdit, as the extension calls it: the document already parsed)
// on pipelines of 100, 1,000 and 5,000 tasks written as people write them (blank lines between
// tasks, comments, block lists, a postgres target). Baseline in the same run: one full parse of
// the text, which planEdit must do once to check its result.
// Run: node --expose-gc --import tsx bench/edit.mjs
import { planEdit } from '../core/edit/plan.ts';
import { parsePipeline } from '../core/parse/parse.ts';
import { median } from './generate.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
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

function pipeline(n) {
  const lines = ['pipeline: bench', 'tasks:'];
  for (let i = 0; i < n; i++) {
    lines.push(`  # step ${i}`, `  t${i}:`, `    run: |`, `      python step.py ${i}`);
    if (i > 0) lines.push(`    needs: [t${i - 1}]`);
    lines.push('    outputs:', `      - out/${i}.csv   # the rows`);
    if (i % 10 === 0)
      lines.push('      - postgres:', `          table: public.t${i}`, '          dsn: ${env.DB}');
    lines.push('      # more outputs will come here', '');
  }
  return lines.join('\n');
}

const rows = [];
for (const n of [100, 1000, 5000]) {
  const text = pipeline(n);
  const parsed = parsePipeline(text).pipeline;
  const mid = `t${Math.floor(n / 2) - (Math.floor(n / 2) % 10)}`;
  const intents = {
    'set retries (new key after a block)': {
      kind: 'setTaskField',
      task: mid,
      field: 'retries',
      value: 2,
    },
    'outputs: add a file, keep postgres': {
      kind: 'setTaskField',
      task: mid,
      field: 'outputs',
      value: [`out/${mid}.csv`, 'out/extra.csv'],
    },
    'add task (blank-line rhythm)': { kind: 'addTask', name: 'added', run: 'echo x', needs: [mid] },
  };
  const parse = time(() => parsePipeline(text));
  for (const [name, intent] of Object.entries(intents)) {
    const r = planEdit(text, intent, parsed);
    if ('error' in r) throw new Error(`${name}: ${r.error}`);
    rows.push([n, name, time(() => planEdit(text, intent, parsed)).toFixed(1), parse.toFixed(1)]);
  }
}
console.log('| tasks | intent | planEdit ms | full parse ms (baseline) |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.map((x) => x.toLocaleString('en')).join(' | ')} |`);
