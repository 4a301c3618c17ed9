/** The demo's optional HDFS import: skipped visibly without TRIBUTARY_WEBHDFS_URL, a real upload with it. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { CLI, tempDir } from './cliHelpers';
import { cliAsync } from './hdfsCli';
import { lastRun, started } from './runHelpers';
import { startWebHdfs } from './webhdfsServer';

const example = path.resolve(import.meta.dirname, '..', '..', 'examples', 'weather');

test('demo: hdfs-import skips with a visible line without HDFS, and imports data/valid/ with it', async () => {
  const dir = path.join(tempDir(), 'weather');
  fs.cpSync(example, dir, {
    recursive: true,
    filter: (src) => !/\/(data|models|reports|deploy|\.tributary)$/.test(src),
  });
  // What the weather pipeline's validate task leaves (the full demo run is demo.test.ts's job).
  fs.mkdirSync(path.join(dir, 'data', 'valid'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'data', 'valid', 'weather.csv'), 'date,temp\n2015-01-01,7.2\n');

  const skipped = await cliAsync(['run', 'hdfs-import.pipeline.yaml'], {
    cwd: dir,
    env: { TRIBUTARY_WEBHDFS_URL: '' },
  });
  assert.equal(skipped.code, 0, skipped.stdout + skipped.stderr);
  assert.match(skipped.stdout, /\[import_hdfs\] skipped: no HDFS configured/);

  const server = await startWebHdfs();
  try {
    const env = { TRIBUTARY_WEBHDFS_URL: server.url, TRIBUTARY_CLI: `${process.execPath} ${CLI}` };
    const imported = await cliAsync(['run', 'hdfs-import.pipeline.yaml', '--force'], {
      cwd: dir,
      env,
    });
    assert.equal(imported.code, 0, imported.stdout + imported.stderr);
    assert.deepEqual(started(lastRun(dir)), ['import_hdfs']);
    assert.equal(
      server.readFile('/tributary/weather/valid/weather.csv').toString(),
      'date,temp\n2015-01-01,7.2\n',
    );
    assert.match(imported.stdout, /\[import_hdfs\] -rw-r--r--.*weather\.csv/);
  } finally {
    await server.stop();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
