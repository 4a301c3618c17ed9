/**
 * A cancel's sweep of escaped processes (those carrying the run's TRIBUTARY_RUN_ID) never ends the
 * Slurm client commands the runner itself started: an `sbatch` on its way when Ctrl+C comes still
 * returns its job id, and that job is cancelled (else it runs on, unknown to anyone). Slurm's
 * commands are stand-ins here (a slow slurmctld: sbatch answers 2 s after taking the job).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliSpawn, tempDir, writeTree } from './cliHelpers';
import { waitFor } from './runHelpers';

const FAKE = {
  sbatch: `#!/bin/sh
touch "$FAKE_SLURM/submitted"
sleep 2
echo 42
`,
  squeue: `#!/bin/sh
case "$*" in *--me*) exit 0 ;; esac
if [ -f "$FAKE_SLURM/cancelled" ]; then echo '42|CANCELLED|None'; else echo '42|RUNNING|None'; fi
`,
  scancel: `#!/bin/sh
echo "$*" >> "$FAKE_SLURM/cancelled"
`,
  scontrol: `#!/bin/sh
echo 'JobId=42 JobState=CANCELLED Reason=None ExitCode=0:15'
`,
  sacct: `#!/bin/sh
echo CANCELLED
`,
};

test('Ctrl+C while sbatch is on its way (a local task running too): the job it submitted is cancelled', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: mixed
tasks:
  a:
    run: touch a-ready; sleep 300
  b:
    executor: slurm
    run: echo on the cluster
`,
  });
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  for (const [name, text] of Object.entries(FAKE))
    fs.writeFileSync(path.join(bin, name), text, { mode: 0o755 });
  const child = cliSpawn(['run', 'p.pipeline.yaml', '--workers', '2'], {
    cwd: dir,
    env: {
      PATH: `${bin}:${process.env.PATH}`,
      FAKE_SLURM: dir,
      TRIBUTARY_KILL_GRACE_MS: '1000',
      TRIBUTARY_SLURM_POLL_MS: '100',
    },
  });
  try {
    await waitFor(
      () => fs.existsSync(path.join(dir, 'a-ready')) && fs.existsSync(path.join(dir, 'submitted')),
      30_000,
      'the local task and the sbatch to start',
    );
    child.kill('SIGINT');
    const [code] = await Promise.race([
      once(child, 'exit'),
      new Promise<never>((_, no) => setTimeout(() => no(new Error('runner did not exit')), 60_000)),
    ]);
    assert.equal(code, 130);
    assert.ok(
      fs.existsSync(path.join(dir, 'cancelled')),
      'the job Slurm took was cancelled (scancel 42)',
    );
    assert.match(fs.readFileSync(path.join(dir, 'cancelled'), 'utf8'), /42/);
  } finally {
    child.kill('SIGKILL');
  }
});
