/** The young-generation flag: set only on the V8 it was measured on, and never a stray line on stderr. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { growthFlagApplies } from '../run/heapTrim';
import { cli, tempDir } from './cliHelpers';

const versions = (v: Partial<NodeJS.ProcessVersions>) => ({ ...process.versions, ...v });

test('the flag applies in plain Node with V8 11.x only, never under Electron', () => {
  assert.equal(growthFlagApplies(versions({ v8: '11.3.244.8-node.19' })), true);
  assert.equal(growthFlagApplies(versions({ v8: '12.4.254.21-node.33' })), false);
  assert.equal(growthFlagApplies(versions({ v8: '10.2.154.26-node.26' })), false);
  assert.equal(
    growthFlagApplies(versions({ v8: '11.3.244.8-node.19', electron: '27.3.2' })),
    false,
    'VS Code spawns the CLI with its own Electron binary',
  );
});

test('why the version is checked: V8 reports a flag it does not know on stderr, and does not throw', () => {
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      "require('node:v8').setFlagsFromString('--no-such-tributary-flag'); console.log('went on')",
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.stdout.trim(), 'went on');
  assert.match(r.stderr, /unrecognized flag/);
});

test('a clean `tributary run` writes nothing to stderr', () => {
  const dir = tempDir();
  fs.writeFileSync(
    path.join(dir, 'p.pipeline.yaml'),
    'pipeline: clean\ntasks:\n  a:\n    run: echo a > a.txt\n    outputs: [a.txt]\n  b:\n    needs: [a]\n    run: cat a.txt > b.txt\n    outputs: [b.txt]\n',
  );
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(fs.readFileSync(path.join(dir, 'b.txt'), 'utf8'), 'a\n');
});
