/** The runner end to end through the real CLI, in temporary folders, with real processes. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { cli, tempDir, writeTree } from './cliHelpers';
import { finished, lastRun, runLogs, started } from './runHelpers';

const diamond = `pipeline: diamond
params:
  day: "d1"
tasks:
  extract:
    run: mkdir -p data && echo raw-\${params.day} > data/raw.txt
    outputs: [data/raw.txt]
  left:
    run: cat data/raw.txt > data/left.txt && echo L >> data/left.txt
    inputs: [data/raw.txt]
    outputs: [data/left.txt]
  right:
    run: cat data/raw.txt > data/right.txt && echo R >> data/right.txt
    inputs: [data/raw.txt]
    outputs: [data/right.txt]
  join:
    run: cat data/left.txt data/right.txt > data/joined.txt
    inputs: [data/left.txt, data/right.txt]
    outputs: [data/joined.txt]
  side:
    run: mkdir -p data && echo side > data/side.txt
    outputs: [data/side.txt]
`;

function project(pipeline = diamond, extra: Record<string, string> = {}): string {
  return writeTree(tempDir(), { 'p.pipeline.yaml': pipeline, ...extra });
}

test('run: honours every edge, then a second run skips every complete task', () => {
  const dir = project();
  const r = cli(['run', 'p.pipeline.yaml', '--workers', '2'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const events = lastRun(dir);
  const pos = (task: string, ev: string) =>
    events.findIndex((e) => e.event === ev && 'task' in e && e.task === task);
  for (const [up, down] of [
    ['extract', 'left'],
    ['extract', 'right'],
    ['left', 'join'],
    ['right', 'join'],
  ] as const) {
    assert.ok(
      pos(up, 'task_finished') < pos(down, 'task_started'),
      `${up} finished before ${down} started`,
    );
  }
  assert.equal(
    fs.readFileSync(path.join(dir, 'data/joined.txt'), 'utf8'),
    'raw-d1\nL\nraw-d1\nR\n',
  );
  assert.match(r.stdout, /\[extract\] ✓ succeeded/);
  assert.match(r.stdout, /run \S+ succeeded: 5 ran/);

  const again = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(again.code, 0);
  assert.deepEqual(started(lastRun(dir)), []);
  assert.deepEqual(Object.values(finished(lastRun(dir))), [
    'complete',
    'complete',
    'complete',
    'complete',
    'complete',
  ]);
});

test('run: touching an input re-runs that task and its downstream only', () => {
  const dir = project();
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  const later = new Date(Date.now() + 5000);
  fs.writeFileSync(path.join(dir, 'data/left.txt'), 'edited by hand\n');
  fs.utimesSync(path.join(dir, 'data/left.txt'), later, later);
  const plan = JSON.parse(cli(['plan', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout);
  assert.deepEqual(plan.run, ['join']);
  assert.match(
    plan.tasks.find((t: { task: string }) => t.task === 'join').reason,
    /input data\/left\.txt changed/,
  );
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  assert.deepEqual(started(lastRun(dir)), ['join']);
});

test('run: a task run again by itself makes what needs it stale (upstream ran since)', () => {
  // `needs` only, no data edge: the upstream's success stamp is all that changes.
  const dir = project(`pipeline: stamps
tasks:
  a:
    run: echo a > a.txt
    outputs: [a.txt]
  b:
    run: echo b > b.txt
    needs: [a]
    outputs: [b.txt]
`);
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  assert.equal(cli(['run', 'p.pipeline.yaml', 'a', '--force'], { cwd: dir }).code, 0);
  const plan = JSON.parse(cli(['plan', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout);
  assert.deepEqual(plan.run, ['b']);
  assert.equal(
    plan.tasks.find((t: { task: string }) => t.task === 'b').reason,
    'upstream a ran since',
  );
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  assert.deepEqual(started(lastRun(dir)), ['b']);
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  assert.deepEqual(started(lastRun(dir)), []);
});

test('run: a changed command or param makes the task stale; plan says why', () => {
  const dir = project();
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  fs.writeFileSync(path.join(dir, 'p.pipeline.yaml'), diamond.replace('echo L >>', 'echo LL >>'));
  const plan = JSON.parse(cli(['plan', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout);
  assert.deepEqual(plan.run, ['left', 'join']);
  assert.equal(
    plan.tasks.find((t: { task: string }) => t.task === 'left').reason,
    'command changed',
  );
  assert.equal(
    plan.tasks.find((t: { task: string }) => t.task === 'join').reason,
    'upstream left will run',
  );
  const withParam = JSON.parse(
    cli(['plan', 'p.pipeline.yaml', '--json', '--param', 'day=d2'], { cwd: dir }).stdout,
  );
  assert.equal(
    withParam.tasks.find((t: { task: string }) => t.task === 'extract').reason,
    'command changed; param day changed',
  );
});

test('run: --force runs the selected task again; --downstream adds what is below it', () => {
  const dir = project();
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  assert.equal(cli(['run', 'p.pipeline.yaml', 'left', '--force'], { cwd: dir }).code, 0);
  assert.deepEqual(started(lastRun(dir)), ['left']);
  assert.equal(
    cli(['run', 'p.pipeline.yaml', 'left', '--force', '--downstream'], { cwd: dir }).code,
    0,
  );
  assert.deepEqual(started(lastRun(dir)), ['left', 'join']);
  // Nothing selected is incomplete: a plain run of `left` does nothing.
  assert.equal(cli(['run', 'p.pipeline.yaml', 'left'], { cwd: dir }).code, 0);
  assert.deepEqual(started(lastRun(dir)), []);
});

test('run: a failed task blocks its downstream as upstream_failed while an independent branch completes; exit 1', () => {
  const dir = project(
    diamond.replace('cat data/raw.txt > data/left.txt', 'echo left is broken >&2; exit 3'),
  );
  const r = cli(['run', 'p.pipeline.yaml', '--workers', '1'], { cwd: dir });
  assert.equal(r.code, 1);
  const f = finished(lastRun(dir));
  assert.equal(f.left, 'failed');
  assert.equal(f.join, 'upstream_failed');
  assert.equal(f.right, 'success');
  assert.equal(f.side, 'success');
  assert.match(r.stdout, /left is broken/);
  const done = lastRun(dir).find((e) => e.event === 'task_finished' && e.task === 'left');
  assert.ok(done && done.event === 'task_finished' && done.exit_code === 3);
  assert.equal(lastRun(dir).at(-1)?.event, 'run_finished');
});

test('run: retries with backoff — a task that fails twice then succeeds', () => {
  const dir = project(`pipeline: r
tasks:
  flaky:
    run: 'n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count; [ "$n" -ge 2 ] && touch ok.txt'
    outputs: [ok.txt]
    retries: 2
    retry_delay: 50ms
`);
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stdout);
  const events = lastRun(dir);
  const retries = events.filter((e) => e.event === 'task_retry');
  assert.deepEqual(
    retries.map((e) => e.event === 'task_retry' && [e.attempt, e.delay_ms]),
    [
      [2, 50],
      [3, 100],
    ],
  );
  const fin = events.find((e) => e.event === 'task_finished');
  assert.ok(fin?.event === 'task_finished' && fin.status === 'success' && fin.attempt === 3);
});

test('run: exit 0 without the declared output is a failure naming the output', () => {
  const dir = project('pipeline: m\ntasks:\n  lazy:\n    run: "true"\n    outputs: [never.csv]\n');
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  const fin = lastRun(dir).find((e) => e.event === 'task_finished');
  assert.ok(fin?.event === 'task_finished');
  assert.equal(fin.status, 'failed');
  assert.match(fin.message ?? '', /never\.csv/);
});

test('run: tasks get TRIBUTARY_* variables, params, env and their cwd', () => {
  const dir = project(
    `pipeline: envy
params: { who: world }
env: { GREETING: hello }
tasks:
  show:
    cwd: sub
    env: { WHO: "\${params.who}" }
    run: 'echo "$GREETING $WHO $TRIBUTARY_PIPELINE $TRIBUTARY_TASK $TRIBUTARY_ATTEMPT \${task.name} $(basename $PWD)" > out.txt; echo "$TRIBUTARY_RUN_ID" > run.txt'
    outputs: [sub/out.txt]
`,
    { 'sub/.keep': '' },
  );
  assert.equal(cli(['run', 'p.pipeline.yaml', '--param', 'who=you'], { cwd: dir }).code, 0);
  assert.equal(
    fs.readFileSync(path.join(dir, 'sub/out.txt'), 'utf8'),
    'hello you envy show 1 show sub\n',
  );
  assert.equal(fs.readFileSync(path.join(dir, 'sub/run.txt'), 'utf8').trim(), lastRun(dir)[0]?.run);
});

test('run: metrics a task writes to $TRIBUTARY_METRICS are recorded with its success', () => {
  const dir = writeTree(tempDir(), {
    'p.pipeline.yaml': `pipeline: m
tasks:
  train:
    run: |
      echo '{"accuracy": 0.931, "rows": 1461, "model": "forest", "nested": {"x": 1}}' > "$TRIBUTARY_METRICS"
  broken:
    run: |
      echo 'not json' > "$TRIBUTARY_METRICS"
  silent:
    run: "true"
`,
  });
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const done = Object.fromEntries(
    lastRun(dir).flatMap((e) => (e.event === 'task_finished' ? [[e.task, e]] : [])),
  );
  assert.deepEqual(done.train?.metrics, { accuracy: 0.931, rows: 1461, model: 'forest' });
  assert.equal(done.broken?.status, 'success');
  assert.equal(done.broken?.metrics, undefined);
  assert.match(r.stderr, /broken: \$TRIBUTARY_METRICS .* is not JSON/);
  assert.equal(done.silent?.metrics, undefined);
});

test('run: an unset ${env.X} fails the task with a clear message, not the runner', () => {
  const dir = project('pipeline: e\ntasks:\n  t:\n    run: echo ${env.TRIBUTARY_SURELY_UNSET}\n');
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /environment variable TRIBUTARY_SURELY_UNSET is not set/);
});

test('run: bad input → one line on stderr and exit 2', () => {
  const dir = project();
  const cases: [string[], RegExp][] = [
    [['run', 'p.pipeline.yaml', 'jion'], /unknown task 'jion' \(did you mean 'join'\?\)/],
    [['run', 'p.pipeline.yaml', '--param', 'dya=1'], /no param 'dya' \(did you mean 'day'\?\)/],
    [['run', 'p.pipeline.yaml', '--param', 'novalue'], /KEY=VALUE/],
    [['run', 'p.pipeline.yaml', '--workers', '0'], /--workers/],
    [['plan', 'missing.pipeline.yaml'], /no such file/],
    [['status', 'p.pipeline.yaml', '--bogus'], /unknown option/],
  ];
  for (const [args, message] of cases) {
    const r = cli(args, { cwd: dir });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  fs.writeFileSync(
    path.join(dir, 'bad.pipeline.yaml'),
    'pipeline: b\ntasks:\n  a: {run: x, needs: [zz]}\n',
  );
  const r = cli(['run', 'bad.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /invalid pipeline: bad\.pipeline\.yaml:3:23: error: 'a' needs unknown task 'zz' \[unknown-task\]/,
  );
  assert.equal(runLogs(dir).length, 0);
});

test('status, history and lineage read the records', () => {
  const dir = project(diamond, { 'incoming/x.csv': 'x\n' });
  fs.writeFileSync(
    path.join(dir, 'p.pipeline.yaml'),
    diamond
      .replace('tasks:', 'sources: [incoming/]\ntasks:')
      .replace(
        '    outputs: [data/raw.txt]',
        '    inputs: [incoming/]\n    outputs: [data/raw.txt]',
      ),
  );
  const before = JSON.parse(cli(['status', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout);
  assert.deepEqual(
    before.tasks.map((t: { state: string }) => t.state),
    ['never run', 'never run', 'never run', 'never run', 'never run'],
  );
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  const after = JSON.parse(cli(['status', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout);
  assert.ok(after.tasks.every((t: { state: string }) => t.state === 'complete'));

  const history = JSON.parse(cli(['history', 'p.pipeline.yaml', '--json'], { cwd: dir }).stdout);
  assert.equal(history.runs.length, 1);
  assert.equal(history.runs[0].status, 'success');
  assert.deepEqual(history.runs[0].tasks.map((t: { task: string }) => t.task).sort(), [
    'extract',
    'join',
    'left',
    'right',
    'side',
  ]);
  assert.ok(history.runs[0].tasks.every((t: { duration_ms: number }) => t.duration_ms >= 0));

  const lin = cli(['lineage', 'p.pipeline.yaml', 'data/joined.txt', '--json'], { cwd: dir });
  assert.equal(lin.code, 0, lin.stderr);
  const node = JSON.parse(lin.stdout);
  assert.equal(node.task, 'join');
  assert.deepEqual(
    node.inputs.map((i: { task: string }) => i.task),
    ['left', 'right'],
  );
  assert.equal(node.inputs[0].inputs[0].task, 'extract');
  assert.equal(node.inputs[0].inputs[0].inputs[0].kind, 'source');
  const unknown = cli(['lineage', 'p.pipeline.yaml', 'nowhere.txt'], { cwd: dir });
  assert.equal(unknown.code, 1);
});

test('export --to luigi: one class per task with requires() and outputs', () => {
  const dir = project();
  const r = cli(['export', 'p.pipeline.yaml', '--to', 'luigi'], { cwd: dir });
  assert.equal(r.code, 0);
  assert.match(
    r.stdout,
    /class Join\(_ShellTask\):[\s\S]*outs = \("data\/joined\.txt",\)[\s\S]*return \[Left\(\*\*self\.param_kwargs\), Right\(\*\*self\.param_kwargs\)\]/,
  );
  assert.match(r.stdout, /day = luigi\.Parameter\(default="d1"\)/);
  assert.equal(cli(['export', 'p.pipeline.yaml', '--to', 'airflow'], { cwd: dir }).code, 2);
});

test('run and plan print validation warnings on stderr (an unknown key output: → did you mean outputs)', () => {
  const dir = project('pipeline: w\ntasks:\n  a:\n    run: echo a > a.txt\n    output: [a.txt]\n');
  for (const cmd of ['plan', 'run']) {
    const r = cli([cmd, 'p.pipeline.yaml'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /p\.pipeline\.yaml:5:5: warning: .*'output'.*did you mean 'outputs'/,
      cmd,
    );
    assert.doesNotMatch(r.stdout, /warning/, 'warnings stay off stdout');
  }
});

test('run: a missing cwd fails the task naming the folder, not the shell', () => {
  const dir = project('pipeline: c\ntasks:\n  a:\n    run: echo a\n    cwd: no-such-folder\n');
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 1);
  const fin = lastRun(dir).find((e) => e.event === 'task_finished');
  assert.ok(fin?.event === 'task_finished' && fin.status === 'failed');
  assert.equal(fin.message, 'cwd no-such-folder does not exist');
  assert.match(r.stdout, /cwd no-such-folder does not exist/);
  assert.doesNotMatch(r.stdout + r.stderr, /could not start the shell/);
});

test('run: state.json lost and an input changed → the records are replayed and the task runs again', () => {
  const dir = project(
    'pipeline: r\ntasks:\n  a:\n    run: cat in.txt > a.txt\n    inputs: [in.txt]\n    outputs: [a.txt]\n  b:\n    run: echo b > b.txt\n    outputs: [b.txt]\n',
    { 'in.txt': 'one\n' },
  );
  assert.equal(cli(['run', 'p.pipeline.yaml'], { cwd: dir }).code, 0);
  fs.rmSync(path.join(dir, '.tributary/state.json'));
  // Same size, and older than the output: only the recorded fingerprint can tell it changed
  // (without the replay, "outputs exist, no earlier run recorded" would call it complete).
  fs.writeFileSync(path.join(dir, 'in.txt'), 'two\n');
  const past = new Date(Date.now() - 3_600_000);
  fs.utimesSync(path.join(dir, 'in.txt'), past, past);
  const r = cli(['run', 'p.pipeline.yaml'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(started(lastRun(dir)), ['a']);
  assert.equal(fs.readFileSync(path.join(dir, 'a.txt'), 'utf8'), 'two\n');
});
