/** Show log reads only files really inside .tributary/logs: a link a repository committed there is refused. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { taskLog } from '../../extension/logs';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-audit-logs-'));

test('a log file or run folder that links out of .tributary/logs is refused; a linked .tributary is not', async () => {
  const outside = tmp();
  fs.writeFileSync(path.join(outside, 'a.log'), 'OUTSIDE SECRET\n');
  const dir = tmp();
  const file = path.join(dir, 'p.pipeline.yaml');
  const logs = path.join(dir, '.tributary', 'logs');
  fs.mkdirSync(path.join(logs, 'r1'), { recursive: true });
  // The log itself is a link, then the run's folder is.
  fs.symlinkSync(path.join(outside, 'a.log'), path.join(logs, 'r1', 'a.log'));
  fs.symlinkSync(outside, path.join(logs, 'r2'));
  for (const run of ['r1', 'r2']) {
    const lines = await taskLog(file, 'a', { run, attempt: 1 });
    assert.ok(!lines.join('\n').includes('OUTSIDE SECRET'), `${run}: ${lines.join(' | ')}`);
    assert.match(lines.join('\n'), /refused/, run);
  }
  // A .tributary kept on another disk (the folder itself a link) is the user's choice: read.
  const disk = tmp();
  fs.mkdirSync(path.join(disk, 'logs', 'r3'), { recursive: true });
  fs.writeFileSync(path.join(disk, 'logs', 'r3', 'a.log'), 'own output\n');
  const dir2 = tmp();
  fs.symlinkSync(disk, path.join(dir2, '.tributary'));
  assert.deepEqual(
    await taskLog(path.join(dir2, 'p.pipeline.yaml'), 'a', { run: 'r3', attempt: 1 }),
    ['(run r3)', 'own output'],
  );
});
