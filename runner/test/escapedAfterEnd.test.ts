/**
 * A run that ended normally keeps what its tasks moved out of their groups (a service), also when
 * the runner is then told to stop while it is still sending its notifications.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliSpawn, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun, waitFor } from './runHelpers';

const GRACE_MS = 1000;

function startOf(pid: number): string | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return f[0] === 'Z' ? undefined : f[19];
  } catch {
    return undefined;
  }
}

for (const mode of ['launcher', 'no launcher'] as const)
  test(`${mode}: Ctrl+C while a succeeded run notifies does not end the service its task started`, async () => {
    const dir = writeTree(tempDir(), {
      // Ends once its sleep has left the group (session: field 6 of /proc/<pid>/stat).
      'svc.sh': `setsid sleep 306 & p=$!
while [ "$(cut -d' ' -f6 /proc/$p/stat)" != "$p" ]; do sleep 0.05; done
echo $p > svc.pid
`,
      'p.pipeline.yaml': `pipeline: svc
tasks:
  serve:
    run: sh svc.sh
notify:
  command:
    run: 'touch notifying; sleep 30'
    on: [success]
`,
    });
    const env = {
      TRIBUTARY_KILL_GRACE_MS: String(GRACE_MS),
      ...(mode === 'no launcher' ? { TRIBUTARY_LAUNCHER: '0' } : {}),
    };
    const child = cliSpawn(['run', 'p.pipeline.yaml'], { cwd: dir, env });
    let pid = 0;
    try {
      await waitFor(() => fs.existsSync(path.join(dir, 'notifying')), 30_000, 'the notify hook');
      assert.deepEqual(finished(lastRun(dir)), { serve: 'success' });
      pid = Number(fs.readFileSync(path.join(dir, 'svc.pid'), 'utf8'));
      const start = startOf(pid);
      assert.ok(start, 'the service runs');
      child.kill('SIGINT');
      const [code] = await once(child, 'exit');
      assert.equal(code, 130);
      // What the launcher or watchdog would do once the runner is gone: grace period and more.
      await new Promise((r) => setTimeout(r, GRACE_MS + 3000));
      assert.equal(startOf(pid), start, 'the service of a run that succeeded is still running');
      // Nor left for the next run to end: no group log of this run is left behind.
      const groups = path.join(dir, '.tributary', 'groups');
      assert.deepEqual(fs.existsSync(groups) ? fs.readdirSync(groups) : [], []);
    } finally {
      child.kill('SIGKILL');
      if (pid && startOf(pid)) process.kill(pid, 'SIGKILL');
    }
  });
