/**
 * A run whose record cannot be written (the disk filled up, often by a task of the run itself)
 * stops: nothing more starts, running tasks are ended, the lock is released, and the user reads
 * one line saying why, after the summary: no stack trace, no exit code saying a task failed
 * when none did, and a record whose lines stay whole up to where the disk ran out.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { loadPipeline } from '../load';
import { statePaths } from '../records/paths';
import { Run } from '../run/execute';
import { RunRecorder } from '../run/recorder';
import { cli, tempDir, writeTree } from './cliHelpers';

test('a record that refuses every write (/dev/full): nothing starts, the run fails with the reason', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': 'pipeline: full\ntasks:\n  a:\n    run: touch ran.txt\n',
  });
  const file = path.join(dir, 'p.pipeline.yaml');
  const loaded = loadPipeline(file);
  const paths = statePaths(file);
  const rec = new RunRecorder('20260101T000000000Z-full', '/dev/full', paths);
  try {
    const result = await new Run(loaded, { targets: [] }, rec, paths.logs).execute();
    assert.equal(result.status, 'failed');
    assert.match(
      result.message ?? '',
      /^the run was stopped: its record cannot be written \(\/dev\/full: no space left on device \(ENOSPC\)\)$/,
    );
    assert.equal(fs.existsSync(path.join(dir, 'ran.txt')), false, 'no task started unrecorded');
  } finally {
    rec.close();
  }
});

/** A 512 KiB file system of its own (root only: a test machine, as CI is). */
function smallDisk(): string | undefined {
  const at = tempDir('tributary-full-');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', at]);
  return r.status === 0 ? at : undefined;
}

test('the disk fills up during a run: the run stops with one clear line, lock released, record whole', async (t) => {
  const disk = smallDisk();
  if (!disk) return t.skip('cannot mount a small tmpfs here (not root)');
  try {
    const tasks = Array.from(
      { length: 60 },
      (_, i) => `  t${i}:\n    needs: [fill]\n    run: touch t${i}.done\n`,
    );
    writeTree(disk, {
      'p.pipeline.yaml': `pipeline: full\ntasks:\n  fill:\n    run: test -e big.bin || cat /dev/zero > big.bin; true\n${tasks.join('')}`,
    });
    const r = cli(['run', 'p.pipeline.yaml', '--workers', '2'], { cwd: disk });
    assert.equal(r.code, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.match(
      r.stderr,
      /^tributary: the run was stopped: its record cannot be written \(.*\.jsonl: no space left on device \(ENOSPC\)\)$/m,
    );
    // The summary is still shown, above the reason.
    assert.match(r.stdout, /fill\s+✓ success/);
    assert.equal(fs.existsSync(path.join(disk, '.tributary', 'lock')), false, 'lock released');
    assert.deepEqual(
      fs.readdirSync(disk).filter((f) => f.endsWith('.done')),
      [],
      'nothing ran after the record stopped',
    );
    const runs = path.join(disk, '.tributary', 'runs');
    const [record] = fs.readdirSync(runs);
    const lines = fs.readFileSync(path.join(runs, record!), 'utf8').split('\n');
    // Every line but a torn last one is a whole event.
    for (const line of lines.slice(0, -1)) assert.doesNotThrow(() => JSON.parse(line), line);

    // Space again (the filler leaves a small file be): the next run reads that record and does the rest.
    fs.writeFileSync(path.join(disk, 'big.bin'), 'small now');
    const again = cli(['run', 'p.pipeline.yaml'], { cwd: disk });
    assert.equal(again.code, 0, again.stderr);
    assert.equal(fs.readdirSync(disk).filter((f) => f.endsWith('.done')).length, 60);
    const history = cli(['history', 'p.pipeline.yaml', '--json'], { cwd: disk });
    assert.equal(history.code, 0, history.stderr);
    const [last, stopped] = (JSON.parse(history.stdout) as { runs: { status: string }[] }).runs;
    assert.equal(last?.status, 'success');
    assert.equal(stopped?.status, 'interrupted');
  } finally {
    spawnSync('umount', ['-l', disk]);
    fs.rmSync(disk, { recursive: true, force: true });
  }
});

test('a disk already full when a run starts: one line, no stack trace, no lock left', async (t) => {
  const disk = smallDisk();
  if (!disk) return t.skip('cannot mount a small tmpfs here (not root)');
  try {
    writeTree(disk, { 'p.pipeline.yaml': 'pipeline: full\ntasks:\n  a:\n    run: echo a\n' });
    assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: disk }).code, 0);
    spawnSync('sh', ['-c', 'cat /dev/zero > big.bin'], { cwd: disk });
    const r = cli(['run', 'p.pipeline.yaml'], { cwd: disk });
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, 'no stack trace');
    assert.match(r.stderr, /^tributary: .*no space left on device \(ENOSPC\)/m);
    assert.equal(fs.existsSync(path.join(disk, '.tributary', 'lock')), false, 'no lock left');
  } finally {
    spawnSync('umount', ['-l', disk]);
    fs.rmSync(disk, { recursive: true, force: true });
  }
});
