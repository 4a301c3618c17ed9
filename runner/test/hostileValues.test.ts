/**
 * Contract section 7 end to end: hostile params and trigger file names through the real CLI, `serve`
 * and (when available) Slurm: nothing of them runs, and each arrives byte for byte.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cliAsync, cliSpawn, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun, runLogs, waitFor } from './runHelpers';
import { HOSTILE } from './hostileCorpus';
import { slurmUnavailable, startSlurm, type SlurmCluster } from './slurmCluster';

/** One task per value and quoting style; each writes what its command saw to out/<task>. */
function corpusPipeline(values: string[], executor = 'local'): string {
  const params = values.map((v, n) => `  v${n}: ""`).join('\n');
  const tasks = values
    .map(
      (_, n) => `  dq${n}:
    run: printf %s "\${params.v${n}}" > out/dq${n}
  uq${n}:
    run: printf %s \${params.v${n}} > out/uq${n}
  sq${n}:
    run: printf %s '<\${params.v${n}}>' > out/sq${n}`,
    )
    .join('\n');
  return `pipeline: hostile\ndefaults:\n  executor: ${executor}\nparams:\n${params}\ntasks:\n${tasks}\n`;
}

function expectCorpus(dir: string, values: string[]): void {
  assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false, 'a value was executed');
  values.forEach((v, n) => {
    const read = (t: string) => fs.readFileSync(path.join(dir, 'out', t), 'utf8');
    assert.equal(read(`dq${n}`), v, `"\${params.v${n}}" with ${JSON.stringify(v.slice(0, 40))}`);
    assert.equal(
      read(`uq${n}`),
      v,
      `\${params.v${n}} unquoted with ${JSON.stringify(v.slice(0, 40))}`,
    );
    assert.equal(
      read(`sq${n}`),
      `<${v}>`,
      `'\${params.v${n}}' with ${JSON.stringify(v.slice(0, 40))}`,
    );
  });
}

const paramArgs = (values: string[]) => values.flatMap((v, n) => ['--param', `v${n}=${v}`]);

test('hostile --param values: 0 executions, every quoting style gets the value byte for byte', async () => {
  const values = HOSTILE.filter((v) => v !== '');
  const dir = writeTree(tempDir(), { 'p.pipeline.yaml': corpusPipeline(values), 'out/.keep': '' });
  const r = await cliAsync(['run', 'p.pipeline.yaml', '--workers', '4', ...paramArgs(values)], {
    cwd: dir,
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  expectCorpus(dir, values);
  // The record holds the fingerprint's params, not a command with values spliced in.
  assert.ok(Object.values(finished(lastRun(dir))).every((s) => s === 'success'));
});

test('the issue 12 example: echo "${params.name}" prints it, and touch never runs', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml':
      'pipeline: e\nparams:\n  name: n\ntasks:\n  t:\n    run: echo "${params.name}"\n',
  });
  const name = 'x"; touch PWNED; echo "';
  const r = await cliAsync(['run', 'p.pipeline.yaml', '--param', `name=${name}`], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\[t\] x"; touch PWNED; echo "\n/);
  assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false);
});

/** File names a dropped file may have (no `/`, no NUL, at most 255 bytes). */
const NAMES = [
  'a$(touch PWNED).csv',
  'b`touch PWNED`.csv',
  'c"; touch PWNED; echo ".csv',
  "d'; touch PWNED; echo '.csv",
  'e\ntouch PWNED\n.csv',
  '-rf .csv',
  '--help.csv',
  'f ünï ☃ 日本.csv',
  'g *.csv',
  'h;touch PWNED;.csv',
  `${'x'.repeat(251)}.csv`,
];

test('hostile --trigger-file names: 0 executions, cp ${trigger.file} copies the one file', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: t
on:
  - files: "in/*.csv"
tasks:
  take:
    run: cp \${trigger.file} copies/ && printf %s "\${trigger.file}" > "seen/$TRIBUTARY_RUN_ID"
`,
    'copies/.keep': '',
    'seen/.keep': '',
  });
  fs.mkdirSync(path.join(dir, 'in'));
  for (const n of NAMES) fs.writeFileSync(path.join(dir, 'in', n), n);
  for (const n of NAMES) {
    const r = await cliAsync(['run', 'p.pipeline.yaml', '--trigger-file', `in/${n}`], { cwd: dir });
    assert.equal(r.code, 0, `${JSON.stringify(n)}: ${r.stdout}${r.stderr}`);
  }
  assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false, 'a file name was executed');
  const seen = fs
    .readdirSync(path.join(dir, 'seen'))
    .filter((f) => f !== '.keep')
    .map((f) => fs.readFileSync(path.join(dir, 'seen', f), 'utf8'));
  assert.deepEqual(seen.sort(), NAMES.map((n) => `in/${n}`).sort());
  for (const n of NAMES) assert.equal(fs.readFileSync(path.join(dir, 'copies', n), 'utf8'), n);
});

test('serve: hostile file names dropped into a watched folder run nothing', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: drop
on:
  - files: "in/*.csv"
    existing: process
tasks:
  take:
    run: printf %s "\${trigger.file}" > "seen/$TRIBUTARY_RUN_ID"
`,
    'seen/.keep': '',
  });
  fs.mkdirSync(path.join(dir, 'in'));
  const names = NAMES.slice(0, 6);
  for (const n of names) fs.writeFileSync(path.join(dir, 'in', n), n);
  const child = cliSpawn(['serve', '.'], {
    cwd: dir,
    env: { TRIBUTARY_SERVE_STABLE_MS: '150', TRIBUTARY_KILL_GRACE_MS: '1000' },
  });
  let log = '';
  child.stdout.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  try {
    // Every run finished, not just its file made: SIGTERM would cancel a task still writing it.
    await waitFor(
      () => {
        const runs = runLogs(dir);
        return (
          runs.length >= names.length &&
          runs.every((r) => r.some((e) => e.event === 'run_finished'))
        );
      },
      60_000,
      `a finished run per file; log:\n${log}`,
    );
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false, 'a file name was executed');
  const seen = fs
    .readdirSync(path.join(dir, 'seen'))
    .filter((f) => f !== '.keep')
    .map((f) => fs.readFileSync(path.join(dir, 'seen', f), 'utf8'));
  assert.deepEqual(seen.sort(), names.map((n) => `in/${n}`).sort());
  assert.equal(runLogs(dir).length, names.length);
});

test('a ${…} where nothing can be filled safely is a validation error, and nothing runs', async () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml':
      'pipeline: b\nparams:\n  name: n\ntasks:\n  t:\n    run: echo `cat ${params.name}` > out.txt\n',
  });
  const v = await cliAsync(['validate', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(v.code, 1);
  assert.match(
    v.stdout,
    /p\.pipeline\.yaml:6:10: error: task 't': \$\{params\.name\} inside backticks cannot be filled safely: write \$\(…\) instead of `…` \[unsafe-interpolation\]/,
  );
  const r = await cliAsync(['run', 'p.pipeline.yaml', '--param', 'name=$(touch PWNED)'], {
    cwd: dir,
  });
  assert.equal(r.code, 2);
  assert.equal(fs.existsSync(path.join(dir, 'out.txt')), false);
});

test('a value handed to a second parser (ssh, bash -c, python -c, a here-doc run by bash) is refused by validate and run', async () => {
  // The review's reproductions; `ssh` is a stand-in that runs its remote command through bash.
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: second
params:
  x: x
on:
  - files: "in/*.csv"
tasks:
  remote:
    run: 'ssh() { shift; bash -c "$*"; }; ssh host "cat \${trigger.file}"'
  shell:
    run: bash -c "echo \${params.x}"
  python:
    run: python3 -c "print(\\"\${params.x}\\")"
  heredoc:
    run: |
      bash <<EOF
      echo \${params.x}
      EOF
`,
  });
  fs.mkdirSync(path.join(dir, 'in'));
  fs.writeFileSync(path.join(dir, 'in', 'a;touch PWNED;.csv'), '');
  const v = await cliAsync(['validate', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(v.code, 1, v.stdout);
  for (const [task, why] of [
    ['remote', /\$\{trigger\.file\} in a command run by ssh is parsed again by the remote shell/],
    ['shell', /\$\{params\.x\} in the command string of bash -c .*bash -c 'cmd "\$1"' _/],
    ['python', /\$\{params\.x\} in the program text of python3 -c/],
    ['heredoc', /\$\{params\.x\} in the input that bash reads as its program/],
  ] as const)
    assert.match(
      v.stdout,
      new RegExp(`error: task '${task}': ${why.source}.*\\[unsafe-interpolation\\]`),
    );
  const r = await cliAsync(
    [
      'run',
      'p.pipeline.yaml',
      '--trigger-file',
      'in/a;touch PWNED;.csv',
      '--param',
      'x=x; touch PWNED',
    ],
    { cwd: dir },
  );
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(fs.existsSync(path.join(dir, 'PWNED')), false, 'a value was executed');
});

describe(
  'slurm: the job script gets references, the values come through the environment',
  {
    skip: slurmUnavailable(),
  },
  () => {
    let cluster: SlurmCluster;
    before(async () => {
      cluster = await startSlurm();
    });
    after(async () => cluster?.stop());

    test('hostile params through sbatch: 0 executions, byte for byte', async () => {
      const values = HOSTILE.filter((v) => v !== '' && v.length < 100).slice(0, 8);
      const dir = writeTree(tempDir(), {
        'p.pipeline.yaml': corpusPipeline(values, 'slurm'),
        'out/.keep': '',
      });
      const r = await cliAsync(['run', 'p.pipeline.yaml', '--workers', '4', ...paramArgs(values)], {
        cwd: dir,
        env: { ...cluster.env, TRIBUTARY_SLURM_POLL_MS: '200' },
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      expectCorpus(dir, values);
      // The job scripts hold no value: only references to variables.
      const scripts = fs
        .readdirSync(path.join(dir, '.tributary', 'slurm'))
        .filter((f) => f.endsWith('.sh'));
      assert.ok(scripts.length > 0);
      for (const s of scripts)
        assert.doesNotMatch(
          fs.readFileSync(path.join(dir, '.tributary', 'slurm', s), 'utf8'),
          /PWNED/,
        );
    });
  },
);
