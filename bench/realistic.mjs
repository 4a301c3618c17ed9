// A pipeline shaped like real ones: the demo's tasks (examples/weather) repeated per station to N tasks.

/** The demo's head, with a `day` param for the commands. */
const HEAD = `# The demo's tasks (examples/weather) repeated per station, for the language server bench.
pipeline: weather_stations
description: Daily weather → features → three models → the best one deployed, per station

params:
  url: 'file:source/weather-2014.csv' # any http(s):// or file: URL of a CSV
  test_year: '2015'
  metric: macro_f1
  day: '2024-01-31'

env:
  PYTHONUNBUFFERED: '1'
  PYTHONDONTWRITEBYTECODE: '1'

defaults:
  retries: 1
  retry_delay: 2s
  timeout: 10m

schedule: '0 0 * * *' # every midnight, with \`tributary serve\`
on:
  - files: 'incoming/*.csv' # a new daily drop starts a run

sources:
  - incoming/
  - source/

tasks:
`;

/** The demo's 13 tasks for station `s` (paths under data/s/…), as YAML lines. */
function station(s, prev) {
  const d = `data/s${s}`;
  const m = `models/s${s}`;
  const r = `reports/s${s}`;
  return [
    `  extract_files_${s}:`,
    `    description: Gather the daily CSV drops for station ${s}`,
    `    run: mkdir -p ${d}/raw && cat incoming/*.csv | python3 steps/extract_files.py - ${d}/raw/files.csv`,
    `    inputs: [incoming/]`,
    `    outputs: [${d}/raw/files.csv]`,
    ``,
    `  extract_url_${s}:`,
    `    description: Download a CSV from a URL (offline by default)`,
    `    run: python3 steps/extract_url.py "\${params.url}" ${d}/raw/url.csv --day \${params.day}`,
    `    inputs: [source/weather-2014.csv]`,
    `    outputs:`,
    `      - ${d}/raw/url.csv`,
    ``,
    `  extract_db_${s}:`,
    `    description: Query the warehouse (SQLite; PostgreSQL when DATABASE_URL is set)`,
    `    run: "python3 steps/extract_db.py source/warehouse.db 'daily_weather' ${d}/raw/db.csv --station ${s}"`,
    `    inputs: [source/warehouse.db]`,
    `    outputs: [${d}/raw/db.csv]`,
    `    timeout: 30m`,
    ``,
    `  validate_${s}:`,
    `    description: Schema, nulls and ranges; fails naming the bad rows`,
    `    run: python3 steps/validate.py ${d}/raw/*.csv ${d}/valid/weather.csv && echo "ok ${s}"`,
    `    inputs:`,
    `      - ${d}/raw/files.csv`,
    `      - ${d}/raw/url.csv`,
    `      - ${d}/raw/db.csv`,
    `    outputs: [${d}/valid/weather.csv]`,
    ``,
    `  transform_${s}:`,
    `    run: 'python3 steps/transform.py ${d}/valid/weather.csv ${d}/clean/weather.csv'`,
    `    inputs: [${d}/valid/weather.csv]`,
    `    outputs: [${d}/clean/weather.csv]`,
    ``,
    `  features_${s}:`,
    `    description: Yesterday's weather and 3-day means; a monthly summary`,
    `    run: python3 steps/features.py ${d}/clean/weather.csv ${d}/features/features.csv ${r}/monthly.csv`,
    `    inputs: [${d}/clean/weather.csv]`,
    `    outputs: [${d}/features/features.csv, ${r}/monthly.csv]`,
    `    needs: [validate_${s}]`,
    ``,
    `  split_${s}:`,
    `    run: python3 steps/split.py ${d}/features/features.csv \${params.test_year} ${d}/split/train.csv ${d}/split/test.csv`,
    `    inputs: [${d}/features/features.csv]`,
    `    outputs: [${d}/split/train.csv, ${d}/split/test.csv]`,
    ``,
    `  train_baseline_${s}:`,
    `    run: "python3 steps/train.py majority ${d}/split/train.csv ${m}/baseline.json"`,
    `    inputs: [${d}/split/train.csv]`,
    `    outputs: [${m}/baseline.json]`,
    ``,
    `  train_naive_bayes_${s}:`,
    `    run: python3 steps/train.py naive_bayes ${d}/split/train.csv ${m}/naive_bayes.json`,
    `    inputs: [${d}/split/train.csv]`,
    `    outputs: [${m}/naive_bayes.json]`,
    `    retries: 2`,
    ``,
    `  train_softmax_${s}:`,
    `    run: python3 steps/train.py softmax ${d}/split/train.csv ${m}/softmax.json`,
    `    inputs: [${d}/split/train.csv]`,
    `    outputs: [${m}/softmax.json]`,
    ``,
    `  evaluate_${s}:`,
    `    description: Score every model on the held-out year`,
    `    run: >-`,
    `      python3 steps/evaluate.py ${d}/split/test.csv ${r}/metrics.json`,
    `      ${m}/baseline.json ${m}/naive_bayes.json ${m}/softmax.json`,
    `    inputs:`,
    `      [${d}/split/test.csv, ${m}/baseline.json, ${m}/naive_bayes.json, ${m}/softmax.json]`,
    `    outputs: [${r}/metrics.json]`,
    ``,
    `  select_${s}:`,
    `    run: python3 steps/select_model.py ${r}/metrics.json \${params.metric} ${m} ${r}/selection.json`,
    `    inputs: [${r}/metrics.json]`,
    `    outputs: [${r}/selection.json]`,
    ``,
    `  deploy_${s}:`,
    `    description: Copy the chosen model to deploy/s${s}/ with a model card`,
    `    run: python3 steps/deploy.py ${r}/selection.json deploy/s${s} && echo "deployed ${s}"`,
    `    inputs: [${r}/selection.json]`,
    `    outputs: [deploy/s${s}/]`,
    ...(prev === undefined ? [] : [`    needs: [deploy_${prev}] # one station at a time`]),
    ``,
  ];
}

/** The realistic shape: exactly `n` tasks (the last station cut short). */
export function realisticYaml(n) {
  const lines = HEAD.split('\n').slice(0, -1);
  let tasks = 0;
  for (let s = 0; tasks < n; s++) {
    const block = station(s, s > 0 ? s - 1 : undefined);
    for (let i = 0; i < block.length && tasks < n;) {
      // One task: from its key line to the blank line after it.
      let j = i + 1;
      while (j < block.length && block[j] !== '') j++;
      lines.push(...block.slice(i, j + 1));
      tasks++;
      i = j + 1;
    }
  }
  return lines.join('\n') + '\n';
}
