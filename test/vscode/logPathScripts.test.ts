/** Review of faa2faf: a task named in another script (données, 特徴量) has its log shown like any other. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { logPath, taskLog } from '../../extension/logs';

test("show log: a valid task name in any script reads that task's log", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-logname-'));
  const file = path.join(dir, 'p.pipeline.yaml');
  fs.writeFileSync(
    file,
    'pipeline: p\ntasks:\n  données:\n    run: echo a\n  特徴量:\n    run: echo b\n',
  );
  const logs = path.join(dir, '.tributary', 'logs', 'r1');
  fs.mkdirSync(logs, { recursive: true });
  for (const task of ['données', '特徴量', 'modèle@2024-01-31']) {
    fs.writeFileSync(path.join(logs, `${task}.log`), `output of ${task}\n`);
    assert.ok(logPath(file, 'r1', task)?.endsWith(path.join('r1', `${task}.log`)), task);
    assert.deepEqual(await taskLog(file, task, { run: 'r1', attempt: 1 }), [
      '(run r1)',
      `output of ${task}`,
    ]);
  }
  // Still refused: what could leave the logs folder, and names that are not task names.
  for (const task of ['../données', 'données/../../x', 'a b', '..', 'données@../x'])
    assert.equal(logPath(file, 'r1', task), null, task);
});
