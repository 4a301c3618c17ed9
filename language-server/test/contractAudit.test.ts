/** Contract §1/§3 audit: the built server and `tributary validate` agree on each finding, its range and order, on any text. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { applyLspEdits, type Diag, LspClient, pos, serverForTests } from './lspClient';

const CLI = path.resolve(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-audit-'));
let client: LspClient;
let n = 0;

serverForTests((c) => (client = c), dir);

/** Each diagnostic's first quick fix (titled `title`, when given): all their edits, to apply at once. */
async function firstFixes(uri: string, diagnostics: Diag[], title?: string): Promise<Edit[]> {
  const edits = await Promise.all(
    diagnostics.map(async (d) => {
      const [fix] = await client.request<Action[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d] },
      });
      if (title !== undefined) assert.equal(fix?.title, title);
      return fix!.edit.changes[uri]!;
    }),
  );
  return edits.flat();
}

/** `line:col-line:col code message`, 1-based, as the CLI prints positions. */
const brief = (d: Diag) =>
  `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.code} ${d.message}`;

interface CliFinding {
  code: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Opens `text` in the server and runs `tributary validate --json` on the same file. */
async function both(
  text: string,
): Promise<{ uri: string; lsp: Diag[]; cli: string[]; status: number | null }> {
  const file = path.join(dir, `case${n++}.pipeline.yaml`);
  fs.writeFileSync(file, text);
  // A server that publishes nothing for a version fails here, instead of hanging the test.
  const { uri, diagnostics } = await within(client.open(file, text), 60_000, 'diagnostics');
  const r = spawnSync(process.execPath, [CLI, 'validate', file, '--json'], { encoding: 'utf8' });
  const doc = JSON.parse(r.stdout) as { findings: CliFinding[] };
  const cli = doc.findings.map(
    (f) => `${f.line}:${f.column}-${f.endLine}:${f.endColumn} ${f.code} ${f.message}`,
  );
  return { uri, lsp: diagnostics, cli, status: r.status };
}

test('a syntax error beside a duplicate key: same findings, in position order, in the server and the CLI', async () => {
  const text =
    'pipeline: d\ntasks:\n  a:\n    run: echo\n    run: echo 2\n  b:\n    run: echo\n    exec\n';
  const { lsp, cli, status } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(
    lsp.map((d) => `${d.range.start.line + 1} ${d.code}`),
    ['5 yaml-syntax', '8 yaml-syntax'],
  );
  assert.equal(status, 1);
  // While the second `run` is half typed, the duplicate is still reported, as the CLI does.
  const half = 'pipeline: d\ntasks:\n  a:\n    run: echo\n    run\n';
  const r = await both(half);
  assert.deepEqual(r.lsp.map(brief), r.cli);
  assert.ok(r.lsp.some((d) => /duplicate key 'run'/.test(d.message)));
});

test('a command nested thousands of levels deep: a finding on its run value, never a crash or a stack trace', async () => {
  const text = `pipeline: deep\ntasks:\n  a:\n    run: echo ${'${params.'.repeat(50_000)}\n  b:\n    run: echo\n    needs: [nope]\n`;
  const { uri, lsp, cli, status } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.equal(status, 1);
  const codes = lsp.map(
    (d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`,
  );
  assert.deepEqual(codes, ['4:10 unsafe-interpolation', '7:13 unknown-task']);
  assert.match(lsp[0]!.message, /too deeply/);
  const hover = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
    textDocument: { uri },
    position: { line: 2, character: 3 },
  });
  assert.match(hover?.contents.value ?? '', /task `a`/);
});

test('YAML nested too deeply: one clear finding, not a stack overflow message repeated hundreds of times', async () => {
  // 100,000 levels in a file over 64 KB: the CLI parsed it twice and V8 aborted (exit 134).
  const { lsp, cli, status } = await both('['.repeat(100_000));
  assert.deepEqual(lsp.map(brief), cli);
  assert.equal(status, 1);
  assert.equal(lsp.length, 1);
  assert.equal(lsp[0]!.code, 'yaml-syntax');
  assert.match(lsp[0]!.message, /nested too deeply/);
  assert.doesNotMatch(lsp[0]!.message, /call stack/);
});

test('a second YAML document: the message says what to do and marks the `---` line', async () => {
  const text = 'pipeline: one\ntasks:\n  a:\n    run: echo\n---\npipeline: two\n';
  const { lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(
    lsp.map((d) => `${brief(d).split(' ')[0]} ${d.code}`),
    ['5:1-5:4 yaml-syntax'],
  );
  assert.match(lsp[0]!.message, /one YAML document/);
  assert.doesNotMatch(lsp[0]!.message, /parseAllDocuments/);
});

test('an unclosed quote is marked where the quote opens, not at the end of the file', async () => {
  for (const q of ['"', "'"]) {
    const text = `pipeline: q\ntasks:\n  a:\n    run: ${q}echo unterminated\n  b:\n    run: echo\n`;
    const { lsp, cli } = await both(text);
    assert.deepEqual(lsp.map(brief), cli);
    assert.equal(lsp.length, 1, lsp.map(brief).join('\n'));
    assert.deepEqual(lsp[0]!.range.start, pos(text, `${q}echo`));
    assert.equal(lsp[0]!.code, 'yaml-syntax');
    assert.match(lsp[0]!.message, /closing/);
  }
});

test('invalid-schedule: a wrong number of cron fields is said in the contract terms (5, or 6 with seconds)', async () => {
  const text =
    'pipeline: s\nschedule:\n  - "0 0 * *"\n  - "0 0 0 * * * 2024"\n  - 5\n  - "*/15 9-17 * * MON-FRI"\ntasks:\n  a:\n    run: echo\n';
  const { lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(
    lsp.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`),
    ['3:5 invalid-schedule', '4:5 invalid-schedule', '5:5 invalid-schedule'],
  );
  for (const d of lsp) {
    assert.match(d.message, /5 fields .*or 6 with seconds/);
    assert.doesNotMatch(d.message, /seven|mode '/);
  }
  assert.match(lsp[0]!.message, /has 4/);
});

test('pools: an undeclared pool is marked on its own key, an amount over capacity on its number', async () => {
  const text =
    'pipeline: pools\nresources:\n  db: 1\ntasks:\n  load:\n    run: psql -f load.sql\n    resources: {db: 2, gpu: 1}\n  train:\n    run: python train.py\n    resources:\n      gpu: 1\n';
  const { lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  const at = (needle: string, delta = 0, nth = 0) => {
    const p = pos(text, needle, delta, nth);
    return `${p.line + 1}:${p.character + 1}`;
  };
  assert.deepEqual(
    lsp.map(
      (d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`,
    ),
    [
      `${at('db: 2', 4)} schema task 'load' asks for 2 of pool 'db', which holds 1`,
      `${at('gpu: 1')} schema task 'load' uses pool 'gpu', which is not declared under top-level resources`,
      `${at('gpu: 1', 0, 1)} schema task 'train' uses pool 'gpu', which is not declared under top-level resources`,
    ],
  );
  // Each on exactly its node: the number `2`, the key `gpu`.
  assert.deepEqual(
    lsp.map((d) => d.range.end.character - d.range.start.character),
    [1, 3, 3],
  );
});

type Edit = { range: Diag['range']; newText: string };
type Action = {
  title: string;
  isPreferred?: boolean;
  edit: { changes: Record<string, Edit[]> };
};

test('undefined-param: the "did you mean" is a quick fix, as for unknown tasks and keys', async () => {
  const text =
    'pipeline: q\r\nparams:\r\n  day: "2024-01-31"\r\ntasks:\r\n  extract:\r\n    run: python extract.py --day ${params.dya} --to "${ params.dya }"\r\n';
  const { uri, lsp } = await both(text);
  assert.deepEqual(
    lsp.map((d) => d.code),
    ['undefined-param', 'undefined-param'],
  );
  const fixed = await Promise.all(
    lsp.map(async (d) => {
      const actions = await client.request<Action[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d] },
      });
      assert.deepEqual(
        actions.map((a) => [a.title, a.isPreferred]),
        [["Change to '${params.day}'", true]],
      );
      return actions[0]!.edit.changes[uri]!;
    }),
  );
  const after = applyLspEdits(text, fixed.flat());
  assert.match(after, /--day \$\{params\.day\} --to "\$\{params\.day\}"\r\n$/);
  assert.deepEqual(await client.change(uri, after), []);
});

test('task names in any script: valid in the server and the CLI, completed in needs, renamed everywhere', async () => {
  const text = [
    'pipeline: météo',
    'tasks:',
    '  extraire_données:',
    '    run: python extraire.py',
    '    outputs: [données/brut.csv]',
    '  特徴量:',
    '    run: python features.py',
    '    inputs: [données/brut.csv]',
    '    outputs: [données/features.csv]',
    '  modèle:',
    '    run: python train.py   # needs 特徴量',
    '    needs: [特徴量, ]',
    '  "bad name":',
    '    run: echo',
    '',
  ].join('\n');
  const { uri, lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(
    lsp.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`),
    ['13:3 schema'],
  );
  assert.match(lsp[0]!.message, /'bad name' is not a valid task name/);
  const items = await client.request<{ label: string }[]>('textDocument/completion', {
    textDocument: { uri },
    position: pos(text, '特徴量, ]', 5),
  });
  assert.deepEqual(
    items.map((i) => i.label),
    ['extraire_données'],
  );
  const edit = await client.request<Action['edit']>('textDocument/rename', {
    textDocument: { uri },
    position: pos(text, '  特徴量:', 3),
    newName: 'caractéristiques',
  });
  const renamed = applyLspEdits(text, edit.changes[uri] ?? []);
  assert.match(renamed, /\n {2}caractéristiques:\n/);
  assert.match(renamed, /needs: \[caractéristiques, \]/);
  assert.match(renamed, /# needs 特徴量\n/); // comments are not references
});

test('targets a run could never satisfy are schema errors: a glob output, an unknown target kind', async () => {
  // Both validated clean before, and every run then failed ("did not create its output").
  const text = [
    'pipeline: lake',
    'params: {day: "2024-01-01"}',
    'tasks:',
    '  split:',
    '    run: python split.py',
    '    outputs:',
    '      - "data/parts/*.csv"',
    '      - data/${params.day}/summary.csv',
    '      - s3: {bucket: raw, key: x}',
    '  merge:',
    '    run: cat data/parts/*.csv > data/all.csv',
    '    inputs: ["data/parts/*.csv"]',
    '    outputs: [data/all.csv]',
    '',
  ].join('\n');
  const { lsp, cli, status } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.equal(status, 1);
  const p1 = pos(text, '"data/parts/*.csv"');
  const p2 = pos(text, 's3:');
  assert.deepEqual(
    lsp.map((d) => [d.range.start, d.code, d.severity]),
    [
      [p1, 'schema', 1],
      [p2, 'schema', 1],
    ],
  );
  assert.match(lsp[0]!.message, /glob.*'data\/parts\/'/);
  assert.equal(lsp[0]!.range.end.character - lsp[0]!.range.start.character, 18);
  assert.match(lsp[1]!.message, /unknown target kind 's3'.*postgres/);
  assert.equal(lsp[1]!.range.end.character - lsp[1]!.range.start.character, 2);
});

test("a missing required top-level key is marked on the mapping's first key, not on a comment above it", async () => {
  const text = '# Daily churn model\n\ndescription: churn\ntasks:\n  a:\n    run: echo\n';
  const { lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(lsp.map(brief), [
    "3:1-3:12 schema missing required key 'pipeline' (the pipeline's name)",
  ]);
});

test('key completion everywhere offers only the keys not written yet: defaults, notify.email, a postgres target', async () => {
  const text = [
    'pipeline: churn',
    'defaults:',
    '  retries: 1',
    '  timeout: 30m',
    '  ',
    'notify:',
    '  email:',
    '    to: [data-team@example.com]',
    '    ',
    'tasks:',
    '  features:',
    '    run: python features.py',
    '    outputs:',
    '      - postgres:',
    '          table: features',
    '          ',
    '          dsn: ${env.DATABASE_URL}',
    '',
  ].join('\n');
  const { uri } = await both(text);
  const ask = async (line: number, character: number) =>
    (
      await client.request<{ label: string }[]>('textDocument/completion', {
        textDocument: { uri },
        position: { line, character },
      })
    ).map((i) => i.label);
  assert.deepEqual(await ask(4, 2), ['retry_delay', 'executor']);
  assert.deepEqual(await ask(8, 4), ['on', 'digest', 'subject']);
  assert.deepEqual(await ask(15, 10), ['where']);
});

test('invalid-duration: a duration written in words gets a "did you mean" and a quick fix', async () => {
  const text =
    'pipeline: d\ndefaults:\n  timeout: 30 minutes\n  retry_delay: "5 sec"\ntasks:\n  a:\n    run: echo\n    timeout: 2 hours\n    retry_delay: soon\n';
  const { uri, lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(
    lsp.map((d) => d.code),
    ['invalid-duration', 'invalid-duration', 'invalid-duration', 'invalid-duration'],
  );
  const titles = await Promise.all(
    lsp.map(async (d) => {
      const actions = await client.request<Action[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d] },
      });
      return actions.map((a) => a.title);
    }),
  );
  assert.deepEqual(titles, [["Change to '30m'"], ["Change to '5s'"], ["Change to '2h'"], []]);
  assert.match(lsp[0]!.message, /did you mean '30m'/);
  const fixed = text.replace('30 minutes', '30m').replace('"5 sec"', '5s').replace('2 hours', '2h');
  const actions = await client.request<Action[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: lsp[1]!.range,
    context: { diagnostics: [lsp[1]!] },
  });
  assert.match(applyLspEdits(text, actions[0]!.edit.changes[uri]!), /retry_delay: 5s\n/);
  assert.deepEqual(
    (await client.change(uri, fixed)).map((d) => d.message),
    ["tasks.a.retry_delay: 'soon' is not a duration (use e.g. 500ms, 5s, 10m, 2h, 1d)"],
  );
});

test('a param declared with a bad value is reported once, on its value, never also as undefined', async () => {
  const text =
    'pipeline: p\nparams:\n  day: "2024-01-31"\n  empty:\n  list: [a, b]\ntasks:\n  a:\n    run: echo ${params.empty} ${params.list} ${params.nope}\n';
  const { lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(
    lsp.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`),
    ['4:3 schema', '5:9 schema', '8:46 undefined-param'],
  );
});

test('a key with no value is marked on the key (a list item with none on its dash), never as an invisible empty range', async () => {
  const text =
    'pipeline:\ntasks:\n  a:\n    run:\n    cwd:\n    needs:\n      - \n      - b\n    timeout:\n  b:\n    run: echo\n';
  const { lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(lsp.map(brief), [
    '1:1-1:9 schema pipeline is empty',
    '4:5-4:8 schema tasks.a.run is empty',
    '5:5-5:8 schema tasks.a.cwd is empty',
    '7:7-7:8 schema each item of tasks.a.needs is empty',
    '9:5-9:12 invalid-duration tasks.a.timeout is empty (use e.g. 500ms, 5s, 10m, 2h, 1d)',
  ]);
});

test('an unclosed [list] or {map} is marked from its opening bracket, not on the next line or at the end of the file', async () => {
  const cases: [string, string, RegExp][] = [
    ['pipeline: y\ntasks:\n  a:\n    run: x\n    needs: [b', '[b', /no closing \]/],
    [
      'pipeline: y\ntasks:\n  a:\n    run: x\n    needs: [b, c\n    outputs: [x]\n',
      '[b, c',
      /no closing \]/,
    ],
    [
      'pipeline: y\ntasks:\n  a:\n    run: x\n    env: {A: "1"\n  b:\n    run: y\n',
      '{A: "1"',
      /no closing \}/,
    ],
  ];
  for (const [text, opening, message] of cases) {
    const { lsp, cli } = await both(text);
    assert.deepEqual(lsp.map(brief), cli);
    assert.equal(lsp.length, 1, lsp.map(brief).join('\n'));
    const start = pos(text, opening);
    assert.deepEqual(lsp[0]!.range, {
      start,
      end: { line: start.line, character: start.character + opening.length },
    });
    assert.match(lsp[0]!.message, message);
  }
});

test('a task key YAML reads as a boolean or null is named as written, with how to use it', async () => {
  const text = 'pipeline: k\ntasks:\n  true:\n    run: x\n  ~:\n    run: y\n  "3d":\n    run: z\n';
  const { lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(lsp.map(brief), [
    `3:3-3:7 schema 'true' is read by YAML as a boolean, not a name: quote it ("true") or choose another name`,
    `5:3-5:4 schema '~' is read by YAML as null, not a name: give the task a name`,
    "7:3-7:7 schema '3d' is not a valid task name (letters, digits, _ . -, starting with a letter or _)",
  ]);
});

test('an unquoted ${…} in a flow list over several lines, or in a {flow map}, is recognised and quoted by a quick fix', async () => {
  const text = [
    'pipeline: q',
    'params: {day: "1"}',
    'tasks:',
    '  b:',
    '    run: y',
    '    inputs: [',
    '      a.csv,',
    '      data/${params.day}/x.csv',
    '    ]',
    '  c:',
    '    run: z',
    '    env: {DAY: ${params.day}, MODE: fast}',
    '    outputs: [a.csv, "data/${params.day}/x.csv"]',
    '',
  ].join('\n');
  const { uri, lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(
    lsp.map((d) => [d.range.start, d.code]),
    [
      [pos(text, 'data/${'), 'yaml-syntax'],
      [pos(text, '${params.day}, MODE'), 'yaml-syntax'],
    ],
  );
  assert.match(lsp[1]!.message, /must be quoted: in a \{flow map\}/);
  const edits = await firstFixes(uri, lsp, 'Quote this item');
  const fixed = applyLspEdits(text, edits);
  assert.match(fixed, /\n {6}"data\/\$\{params\.day\}\/x\.csv"\n/);
  assert.match(fixed, /env: \{DAY: "\$\{params\.day\}", MODE: fast\}/);
  assert.deepEqual(await client.change(uri, fixed), []);
});

test('an empty command is a schema error on its value, as a missing run is', async () => {
  const text =
    'pipeline: e\ntasks:\n  a:\n    run: ""\n  b:\n    run: "   "\n  c:\n    run: echo\n';
  const { lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(lsp.map(brief), [
    '4:10-4:12 schema tasks.a.run is empty: write the command the task runs',
    '6:10-6:15 schema tasks.b.run is empty: write the command the task runs',
  ]);
});

test('a value outside its allowed set gets a "did you mean" and a quick fix (executor, catchup, existing)', async () => {
  const text =
    'pipeline: v\ncatchup: All\non:\n  - files: "in/*.csv"\n    existing: proces\ntasks:\n  a:\n    run: echo\n    executor: Slurm\n';
  const { uri, lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(
    lsp.map((d) => d.message),
    [
      "catchup must be one of: none, latest, all (did you mean 'all'?)",
      "on.existing must be one of: ignore, process (did you mean 'process'?)",
      "tasks.a.executor must be one of: local, slurm (did you mean 'slurm'?)",
    ],
  );
  const fixes = await firstFixes(uri, lsp);
  assert.deepEqual(await client.change(uri, applyLspEdits(text, fixes)), []);
});

test('"Create a task that outputs …" keeps the letters of a name in any script', async () => {
  const text = 'pipeline: f\ntasks:\n  a:\n    run: x\n    inputs: [données/été.csv]\n';
  const { uri, lsp } = await both(text);
  const d = lsp.find((x) => x.code === 'missing-input')!;
  const actions = await client.request<Action[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: d.range,
    context: { diagnostics: [d] },
  });
  assert.ok(
    actions.some((a) => a.title === "Create a task that outputs 'données/été.csv'"),
    actions.map((a) => a.title).join(', '),
  );
  const create = actions.find((a) => a.title.startsWith('Create'))!;
  assert.match(applyLspEdits(text, create.edit.changes[uri]!), /\n {2}make_été:\n/);
});

test('unknown-task never suggests the task itself (that would be a cycle)', async () => {
  const text =
    'pipeline: s\ntasks:\n  train:\n    run: x\n    needs: [trian]\n  test:\n    run: y\n    needs: [tset]\n';
  const { lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(
    lsp.map((d) => d.message),
    ["'train' needs unknown task 'trian'", "'test' needs unknown task 'tset'"],
  );
});

test('hover on a duration anywhere (defaults, notify digest), as on a task timeout', async () => {
  const text =
    'pipeline: h\ndefaults:\n  timeout: 90m   # long\n  retry_delay: "1h30m"\nnotify:\n  email:\n    to: [a@example.com]\n    digest: 2h\ntasks:\n  a:\n    run: x\n    timeout: 45s\n';
  const { uri } = await both(text);
  const ask = async (needle: string) =>
    (
      await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri },
        position: pos(text, needle, 1),
      })
    )?.contents.value ?? '';
  assert.match(await ask('90m'), /1h30m \(5400000 ms\)/);
  assert.match(await ask('"1h30m"'), /1h30m \(5400000 ms\)/);
  assert.match(await ask('2h'), /2h00m \(7200000 ms\)/);
  assert.match(await ask('45s'), /45\.0s \(45000 ms\)/);
});

test('a command holding ": " says to quote it, with a quick fix, instead of "Nested mappings are not allowed"', async () => {
  const text =
    "pipeline: c\ntasks:\n  a:\n    run: echo status: ok   # report\n  b:\n    run: echo it's time: now\n";
  const { uri, lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(
    lsp.map((d) => [d.range.start, d.code]),
    [
      [pos(text, 'echo status'), 'yaml-syntax'],
      [pos(text, "echo it's"), 'yaml-syntax'],
    ],
  );
  assert.match(lsp[0]!.message, /': '.*quote/);
  assert.doesNotMatch(lsp[0]!.message, /Nested mappings/);
  const edits = await firstFixes(uri, lsp, 'Quote this value');
  const fixed = applyLspEdits(text, edits);
  assert.match(fixed, /run: 'echo status: ok' {3}# report\n/);
  assert.match(fixed, /run: "echo it's time: now"\n/);
  assert.deepEqual(await client.change(uri, fixed), []);
});

test('tabs as indentation: a quick fix replaces them with spaces; a key typed without its colon says so', async () => {
  const text = 'pipeline: t\ntasks:\n\textract:\n\t\trun: echo\n';
  const { uri, lsp, cli } = await both(text);
  assert.deepEqual(lsp.map(brief), cli);
  assert.deepEqual(
    lsp.map((d) => d.code),
    ['yaml-syntax', 'yaml-syntax'],
  );
  const edits = await firstFixes(uri, lsp, 'Indent with spaces');
  const fixed = applyLspEdits(text, edits);
  assert.equal(fixed, 'pipeline: t\ntasks:\n  extract:\n    run: echo\n');
  assert.deepEqual(await client.change(uri, fixed), []);

  const typing = 'pipeline: t\ntasks:\n  a:\n    run: echo\n    retries\n';
  const r = await both(typing);
  assert.deepEqual(r.lsp.map(brief), r.cli);
  assert.deepEqual(r.lsp.map(brief), [
    "5:5-5:12 yaml-syntax 'retries' needs a ':' after it (key: value)",
  ]);
});

test('rename while the file does not parse is refused saying which error to fix first', async () => {
  const text =
    'pipeline: r\ntasks:\n  extract:\n    run: x\n  load:\n    run: y: oops\n    needs: [extract]\n';
  const { uri } = await both(text);
  await assert.rejects(
    client.request('textDocument/prepareRename', {
      textDocument: { uri },
      position: pos(text, '  extract:', 3),
    }),
    /does not parse.*line 6/,
  );
  await assert.rejects(
    client.request('textDocument/rename', {
      textDocument: { uri },
      position: pos(text, '  extract:', 3),
      newName: 'ingest',
    }),
    /does not parse.*line 6/,
  );
});
