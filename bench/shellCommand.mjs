// Benchmark: what making commands safe costs (contract section 7). The command rewriter
// (core/shell/shellCommand.ts) and the parameterised `where` against the plain text
// interpolation they replaced, over 5,000 realistic commands; and validate of a 5,000-task
// pipeline, whose unsafe-interpolation check runs the rewriter on every task.
// Run: node --expose-gc --import tsx bench/shellCommand.mjs
import { interpolate } from '../core/interpolate.ts';
import { shellCommand } from '../core/shell/shellCommand.ts';
import { whereQuery } from '../core/sql/whereQuery.ts';
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

const N = 5000;
const commands = Array.from(
  { length: N },
  (_, i) =>
    [
      `python steps/extract.py --day \${params.day} --out data/raw/\${params.day}-${i}.csv`,
      `psql "\${env.DATABASE_URL}" -c "select count(*) from t where day = '\${params.day}'" > n${i}.txt`,
      `cp \${trigger.file} backup/ && echo 'done \${task.name} in \${run.id}' >> log.txt`,
      `cat <<EOF > cfg${i}.ini\nday=\${params.day}\nEOF\npython train.py --config cfg${i}.ini`,
    ][i % 4],
);
const ctx = {
  params: { day: '2024-01-31' },
  env: { DATABASE_URL: 'postgres://x' },
  task: 't',
  runId: 'r',
  triggerFile: 'a.csv',
};
const wheres = Array.from({ length: N }, (_, i) => `day = '\${params.day}' and n > ${i}`);

const rows = [
  [
    'interpolate 5,000 commands (baseline: the old raw fill)',
    time(() => commands.forEach((c) => interpolate(c, ctx))),
  ],
  ['shellCommand 5,000 commands', time(() => commands.forEach((c) => shellCommand(c)))],
  ['interpolate 5,000 where (baseline)', time(() => wheres.forEach((w) => interpolate(w, ctx)))],
  ['whereQuery 5,000 where', time(() => wheres.forEach((w) => whereQuery(w, () => '2024-01-31')))],
];
const yaml = pipelineYaml(shape('layered', N));
rows.push(['validate 5,000-task pipeline (includes the check)', time(() => validate(yaml))]);
console.log('| what | median ms |\n| --- | --- |');
for (const [what, ms] of rows) console.log(`| ${what} | ${ms.toFixed(1)} |`);
