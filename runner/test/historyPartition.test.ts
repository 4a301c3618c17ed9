/** `tributary history --partition`: the skipped count is that partition's, the length of its `complete` list. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';

const DAILY = `pipeline: daily
partitions:
  daily:
    start: "2024-01-01"
    end: "2024-01-05"
    timezone: UTC
tasks:
  extract:
    run: mkdir -p raw && echo "\${partition}" > "raw/\${partition}.csv"
    outputs: ["raw/\${partition}.csv"]
  validate:
    run: mkdir -p valid && cp "raw/\${partition}.csv" "valid/\${partition}.csv"
    inputs: ["raw/\${partition}.csv"]
    outputs: ["valid/\${partition}.csv"]
`;

interface Run {
  skipped: number;
  complete?: string[];
  tasks: { task: string; partition?: string }[];
}

const history = (dir: string, ...args: string[]) => {
  const r = cli(['history', 'p.pipeline.yaml', '--json', ...args], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { runs: Run[] }).runs;
};

test('history --partition counts the skips of that partition only', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': DAILY });
  const run = (...parts: string[]) =>
    cli(['run', 'p.pipeline.yaml', ...parts.flatMap((p) => ['--partition', p])], { cwd: dir });
  assert.equal(run('2024-01-02').code, 0);
  // 01-02 is complete (its 2 tasks skipped), 01-03 runs (nothing skipped).
  assert.equal(run('2024-01-02', '2024-01-03').code, 0);
  const [whole] = history(dir);
  assert.equal(whole!.skipped, 2);
  const [done] = history(dir, '--partition', '2024-01-02');
  assert.deepEqual(done!.complete, ['extract@2024-01-02', 'validate@2024-01-02']);
  assert.equal(done!.skipped, 2);
  const [ran] = history(dir, '--partition', '2024-01-03');
  assert.deepEqual(ran!.complete, []);
  assert.equal(ran!.skipped, 0, 'not the run’s 2');
  assert.equal(ran!.tasks.length, 2);
  const text = cli(['history', 'p.pipeline.yaml', '--partition', '2024-01-03'], { cwd: dir });
  assert.match(text.stdout.split('\n')[0]!, /2 ran, 0 complete/);
});
