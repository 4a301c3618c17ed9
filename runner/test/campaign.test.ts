/**
 * Crash campaign: the runner is killed with kill -9 at random moments of a 200-task run, again
 * and again; every run after a kill must re-run no completed task, skip no incomplete one, and
 * every record and state.json must stay readable. TRIBUTARY_CAMPAIGN_KILLS sets the number of
 * kills (default 5 in `npm test`; the 50 by hand).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseEventLine, type RunEvent } from '../../core/run/events';
import { cli, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { waitFor } from './runHelpers';

const TASKS = 200;
const KILLS = Number(process.env.TRIBUTARY_CAMPAIGN_KILLS ?? 5);
const KILLS_PER_ROUND = 10;
/** About how long a full run of the 200 tasks takes on the test machine (2 cores, busy). */
const FULL_RUN_MS = 2000;
const name = (i: number) => `t${String(i).padStart(3, '0')}`;

/** A binary tree of short tasks: t_i needs t_(i/2), so the run has depth and width. */
function pipeline(): string {
  const lines = ['pipeline: campaign', 'params:', '  round: "0"', 'tasks:'];
  for (let i = 0; i < TASKS; i++) {
    lines.push(`  ${name(i)}:`);
    if (i > 0) lines.push(`    needs: [${name(Math.floor((i - 1) / 2))}]`);
    lines.push(`    run: echo \${params.round} > out/${name(i)}.txt`);
    lines.push(`    outputs: [out/${name(i)}.txt]`);
  }
  return lines.join('\n') + '\n';
}

interface Tally {
  runs: number;
  kills: number;
  rounds: number;
  reRun: string[];
  skippedIncomplete: string[];
  tornLines: number;
  /** Kills that landed while tasks were running (not before the record or after the end). */
  midRun: number;
}

/** Every line of a record parses, except a torn last line (the kill landed mid-write). */
function readRecord(file: string, tally: Tally): RunEvent[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  const events: RunEvent[] = [];
  lines.forEach((line, i) => {
    const e = parseEventLine(line);
    if (e) events.push(e);
    else if (i === lines.length - 1) tally.tornLines++;
    else assert.fail(`${path.basename(file)} line ${i + 1} is unreadable: ${line}`);
  });
  if (events.length > 0) assert.equal(events[0]?.event, 'run_started', file);
  return events;
}

/** Checks the new records of this round against what earlier runs of the round completed. */
/** A record not checked yet already has a started task. */
function tasksStarted(dir: string, seen: Set<string>): boolean {
  const runs = path.join(dir, '.tributary', 'runs');
  if (!fs.existsSync(runs)) return false;
  return fs
    .readdirSync(runs)
    .filter((f) => !seen.has(f))
    .some((f) => fs.readFileSync(path.join(runs, f), 'utf8').includes('"event":"task_started"'));
}

function checkRuns(dir: string, seen: Set<string>, done: Set<string>, tally: Tally): RunEvent[] {
  let newest: RunEvent[] = [];
  const runs = path.join(dir, '.tributary', 'runs');
  const state = path.join(dir, '.tributary', 'state.json');
  if (fs.existsSync(state)) JSON.parse(fs.readFileSync(state, 'utf8')); // never torn
  // Killed before it took the lock: no record yet.
  for (const f of fs.existsSync(runs) ? fs.readdirSync(runs).sort() : []) {
    if (seen.has(f)) continue;
    seen.add(f);
    const events = readRecord(path.join(runs, f), tally);
    for (const e of events) {
      if (e.event === 'task_started' && done.has(e.task)) tally.reRun.push(`${f}: ${e.task}`);
      if (e.event === 'task_skipped' && e.status === 'complete' && !done.has(e.task))
        tally.skippedIncomplete.push(`${f}: ${e.task}`);
    }
    for (const e of events)
      if (e.event === 'task_finished' && e.status === 'success') done.add(e.task);
    newest = events;
  }
  return newest;
}

test(`kill -9 campaign: ${KILLS} kills at random moments of a ${TASKS}-task run`, async () => {
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': pipeline(), 'out/.keep': '' });
  const tally: Tally = {
    runs: 0,
    kills: 0,
    rounds: 0,
    reRun: [],
    skippedIncomplete: [],
    tornLines: 0,
    midRun: 0,
  };
  const seen = new Set<string>();
  let done = new Set<string>();
  const t0 = Date.now();
  const finishRound = (round: number): void => {
    // Every output holds this round's value: nothing incomplete was skipped.
    for (let i = 0; i < TASKS; i++)
      assert.equal(fs.readFileSync(path.join(dir, 'out', `${name(i)}.txt`), 'utf8'), `${round}\n`);
    assert.equal(done.size, TASKS);
    tally.rounds++;
    done = new Set();
  };
  let round = 1;
  let killsThisRound = 0;
  while (tally.kills < KILLS) {
    const child = cliSpawn(
      ['run', 'p.pipeline.yaml', '--workers', '4', '--param', `round=${round}`],
      { cwd: dir },
    );
    child.stdout.resume();
    child.stderr.resume();
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    // Start-up is slow and uneventful: aim at a random moment after the first task started,
    // within what is left of the round (a full run takes ~2 s here); a run that ends first
    // completes its round. After KILLS_PER_ROUND kills the round is left to finish.
    let over = false;
    void exited.then(() => (over = true));
    await waitFor(() => over || tasksStarted(dir, seen), 30_000, 'the first task');
    if (killsThisRound < KILLS_PER_ROUND) {
      const left = (TASKS - done.size) / TASKS;
      await new Promise((r) => setTimeout(r, Math.random() * left * FULL_RUN_MS));
      child.kill('SIGKILL');
    }
    const [code, signal] = await exited;
    tally.runs++;
    const events = checkRuns(dir, seen, done, tally);
    if (signal === 'SIGKILL') {
      tally.kills++;
      killsThisRound++;
      if (events.some((e) => e.event === 'task_started') && events.at(-1)?.event !== 'run_finished')
        tally.midRun++;
    } else {
      assert.equal(code, 0);
      finishRound(round++);
      killsThisRound = 0;
    }
  }
  // The run after the last kill completes the round.
  const last = cli(['run', 'p.pipeline.yaml', '--workers', '4', '--param', `round=${round}`], {
    cwd: dir,
  });
  assert.equal(last.code, 0, last.stderr);
  tally.runs++;
  checkRuns(dir, seen, done, tally);
  finishRound(round);

  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    `campaign: ${tally.kills} kills (${tally.midRun} while tasks ran), ${tally.runs} runs, ${tally.rounds} rounds of ${TASKS} tasks, ` +
      `${tally.reRun.length} completed tasks re-run, ${tally.skippedIncomplete.length} incomplete skipped, ` +
      `${tally.tornLines} torn last lines (tolerated), in ${seconds} s`,
  );
  assert.deepEqual(tally.reRun, [], 'no completed task runs again');
  assert.deepEqual(tally.skippedIncomplete, [], 'no incomplete task is skipped');
});
