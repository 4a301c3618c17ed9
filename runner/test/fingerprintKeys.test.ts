/** What a task's fingerprint holds: its cwd does count, a `${run.id}` in its env does not. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliAsync, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun } from './runHelpers';

test('${run.id} in env reaches the task but does not make it stale on the next run', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: r
tasks:
  t:
    env:
      RUN: "\${run.id}"
    run: printf %s "$RUN" > out.txt
    outputs: [out.txt]
`,
  });
  assert.equal((await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir })).code, 0);
  const first = lastRun(dir)[0]!.run;
  assert.equal(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8'), first);
  assert.equal((await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir })).code, 0);
  assert.deepEqual(finished(lastRun(dir)), { t: 'complete' });
});

test('changing a task\'s cwd makes it stale ("cwd changed")', async () => {
  const pipeline = (cwd: string) => `pipeline: c
tasks:
  t:
    cwd: ${cwd}
    run: pwd > ../out.txt
    outputs: [out.txt]
`;
  const dir = writeTree(tempDir(), {
    'a/.keep': '',
    'b/.keep': '',
    'p.pipeline.yaml': pipeline('a'),
  });
  assert.equal((await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir })).code, 0);
  assert.deepEqual(finished(lastRun(dir)), { t: 'success' });
  fs.writeFileSync(path.join(dir, 'p.pipeline.yaml'), pipeline('b'));
  const plan = await cliAsync(['plan', 'p.pipeline.yaml', '--json'], { cwd: dir });
  const steps = (JSON.parse(plan.stdout) as { tasks: Array<{ task: string; reason: string }> })
    .tasks;
  assert.match(steps[0]!.reason, /cwd changed/);
  assert.equal((await cliAsync(['run', 'p.pipeline.yaml'], { cwd: dir })).code, 0);
  assert.deepEqual(finished(lastRun(dir)), { t: 'success' });
  assert.match(fs.readFileSync(path.join(dir, 'out.txt'), 'utf8'), /\/b\n$/);
});
