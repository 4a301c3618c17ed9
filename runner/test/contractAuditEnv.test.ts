/** Contract audit (sections 1, 7): `${env.X}` sees the pipeline's and the task's `env:`, as `$X` in the task does. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun } from './runHelpers';

const PIPELINE = `pipeline: envs
env:
  DATA_DIR: "out dir"
  GREETING: "héllo \\"wörld\\" $(not run)"
  PATH: "\${env.PATH}:/opt/tributary-audit/bin"
tasks:
  write:
    env:
      SUB: "\${env.DATA_DIR}/sub"
    run: mkdir -p "\${env.SUB}" && echo "\${env.GREETING}" > \${env.SUB}/x.txt && echo "path=$PATH"
    outputs: ["\${env.DATA_DIR}/sub/x.txt"]
  read:
    needs: [write] # \${env.…} paths make no edge (docs/pipeline-format.md)
    run: cat \${env.DATA_DIR}/sub/x.txt
    inputs: ["\${env.DATA_DIR}/sub/x.txt"]
`;

test('${env.X} of a name the pipeline or the task declares under env: is that value (not "not set"); declared env layers over the process env', () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': PIPELINE });
  // The process's own DATA_DIR loses to the pipeline's, as it does for $DATA_DIR in the task.
  const env = { DATA_DIR: 'elsewhere', PATH: process.env.PATH };
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(
    fs.readFileSync(path.join(dir, 'out dir', 'sub', 'x.txt'), 'utf8'),
    'héllo "wörld" $(not run)\n',
  );
  assert.match(r.stdout, /\[read\] héllo "wörld" \$\(not run\)/);
  // PATH gets the pipeline's suffix once (its own value is filled from the process's).
  const pathLine = /\[write\] path=(.*)/.exec(r.stdout)?.[1] ?? '';
  assert.equal(pathLine, `${process.env.PATH}:/opt/tributary-audit/bin`);
  assert.ok(!fs.existsSync(path.join(dir, 'elsewhere')));
  // Nothing changed: a second run skips write (its fingerprint is stable).
  const again = cli(['run', 'p.pipeline.yaml'], { cwd: dir, env });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(finished(lastRun(dir)).write, 'complete');
});

test('${env.X} of a name declared nowhere and unset is still a clear task failure', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: e\nenv: { A: "1" }\ntasks:\n  t:\n    run: echo \${env.TRIBUTARY_AUDIT_UNSET}\n  u:\n    run: echo \${env.constructor}\n`,
  });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /\[t\] ✗ failed: environment variable TRIBUTARY_AUDIT_UNSET is not set/);
  // Not a property every object has (Object's constructor): no such variable is set.
  assert.match(r.stdout, /\[u\] ✗ failed: environment variable constructor is not set/);
});
