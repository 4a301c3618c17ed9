/**
 * Cancellation campaign: runs whose tasks spawn process trees (a shell, background children,
 * grandchildren, some ignoring TERM) are cancelled with one SIGINT at a random moment, again and
 * again; after each, no process of the run may be left, the record is closed as cancelled and
 * the lock released. TRIBUTARY_CANCEL_CAMPAIGN sets the number of runs (default 6 in `npm test`;
 * the 100 by hand).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliSpawn, tempDir, writeTree } from './cliHelpers';
import { lastRun, processesWith, waitFor } from './runHelpers';

const RUNS = Number(process.env.TRIBUTARY_CANCEL_CAMPAIGN ?? 6);
/** Short, so that TERM-ignoring trees are KILLed quickly after the grace period. */
const GRACE_MS = 300;

/** A process that ignores TERM and keeps running until KILLed; it stays a member of the group. */
const stubborn = (tag: string) =>
  `node -e "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)" ${tag}`;

/** Three tasks: a tree of sleeps, a TERM-ignoring tree, and a subshell pipeline. */
function pipeline(marker: string): string {
  return `pipeline: cancels
tasks:
  tree:
    run: |
      (sleep 60 ${marker}-a & sleep 60 ${marker}-b & wait) & sleep 60 ${marker}-c; wait
  stubborn:
    run: |
      ${stubborn(marker + '-s1')} & ( ${stubborn(marker + '-s2')} ) & wait
  piped:
    run: yes ${marker}-p | (while read -r l; do sleep 1; done)
  after:
    needs: [tree, stubborn]
    run: "true"
`;
}

test(`${RUNS} cancellations of runs with process trees that ignore TERM leave no process`, async () => {
  const dir = tempDir('tributary-cancels-');
  let left = 0;
  for (let i = 0; i < RUNS; i++) {
    const marker = `tribcancel${process.pid}r${i}`;
    writeTree(dir, { 'p.pipeline.yaml': pipeline(marker) });
    const child = cliSpawn(['run', 'p.pipeline.yaml', '--workers', '3'], {
      cwd: dir,
      env: { TRIBUTARY_KILL_GRACE_MS: String(GRACE_MS) },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Cancel at a random moment once some of the trees are up (a few, or all of them).
    const want = 1 + Math.floor(Math.random() * 6);
    await waitFor(() => processesWith(marker).length >= want, 20_000, `${want} task processes`);
    await new Promise((r) => setTimeout(r, Math.random() * 400));
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    assert.equal(code, 130, stderr);
    // The runner reports after the groups are gone: nothing may be left, not even briefly.
    const leftover = processesWith(marker);
    left += leftover.length;
    assert.deepEqual(leftover, [], `run ${i}: processes left after the cancel`);
    const end = lastRun(dir).at(-1);
    assert.ok(end?.event === 'run_finished' && end.status === 'cancelled', JSON.stringify(end));
    assert.ok(!fs.existsSync(path.join(dir, '.tributary/lock')), `run ${i}: lock released`);
  }
  console.log(`cancellation campaign: ${RUNS} runs cancelled, ${left} processes left`);
});
