/** The built language server over stdio: diagnostics, completion, hover, navigation, rename, quick fixes. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { applyLspEdits, type Diag, LspClient, pos, serverForTests } from './lspClient';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-lsp-'));
const file = (name: string) => path.join(dir, name);
let client: LspClient;

serverForTests((c) => (client = c));

const TEXT = `pipeline: demo
params:
  day: "2024-01-31"
schedule: "0 0 * * *"
tasks:
  # extract first
  extract:
    run: python extract.py \${params.day}
    outputs: [data/raw.csv]
    timeout: 90s
  clean:
    run: python clean.py
    inputs: [data/raw.csv, data/lookup.csv]
    outputs: [data/clean.csv]
    needs: [extrakt]
  report:
    run: python report.py   # keep this comment
    needs: [clean, train]
  train:
    run: python train.py
    needs: [report]
    retrys: 2
`;

const brief = (d: Diag) =>
  `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.code}`;

test('diagnostics: every finding on its exact range with its code; cycle edges carry related information', async () => {
  const { diagnostics } = await client.open(file('a.pipeline.yaml'), TEXT);
  assert.deepEqual(diagnostics.map(brief), [
    '13:28-13:43 missing-input',
    '15:13-15:20 unknown-task',
    '18:20-18:25 cycle',
    '21:13-21:19 cycle',
    '22:5-22:11 schema',
  ]);
  const cycle = diagnostics.find((d) => d.code === 'cycle')!;
  assert.equal(cycle.message, 'cycle: report → train → report');
  assert.equal(cycle.relatedInformation?.length, 1);
});

test('diagnostics: a missing input disappears when the file appears and comes back when it is deleted', async () => {
  const { uri, diagnostics } = await client.open(
    file('b.pipeline.yaml'),
    'pipeline: b\ntasks:\n  a:\n    run: x\n    inputs: [in.csv]\n',
  );
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['missing-input'],
  );
  fs.writeFileSync(file('in.csv'), 'x\n');
  let wait = client.diagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: pathToFileURL(file('in.csv')).href, type: 1 }],
  });
  assert.deepEqual(await wait, []);
  fs.rmSync(file('in.csv'));
  wait = client.diagnostics(uri);
  await client.conn.sendNotification('workspace/didChangeWatchedFiles', {
    changes: [{ uri: pathToFileURL(file('in.csv')).href, type: 3 }],
  });
  assert.deepEqual(
    (await wait).map((d) => d.code),
    ['missing-input'],
  );
});

type Item = { label: string; documentation?: unknown };
const labels = (items: Item[] | { items: Item[] }) =>
  (Array.isArray(items) ? items : items.items).map((i) => i.label);

test('completion: task keys with docs, task names in needs, outputs in inputs, params and env', async () => {
  const good =
    'pipeline: c\nparams:\n  day: "1"\nenv:\n  MODE: fast\ntasks:\n  a:\n    run: echo\n    outputs: [out/a.csv]\n  b:\n    run: echo\n';
  const text =
    'pipeline: c\nparams:\n  day: "1"\nenv:\n  MODE: fast\ntasks:\n  a:\n    run: echo ${params.\n    outputs: [out/a.csv]\n  b:\n    run: echo ${env.\n    needs: [\n    inputs:\n      - \n    ret\n';
  const { uri } = await client.open(file('c.pipeline.yaml'), good);
  await client.change(uri, text);
  const ask = (p: { line: number; character: number }) =>
    client.request<Item[]>('textDocument/completion', { textDocument: { uri }, position: p });
  assert.deepEqual(labels(await ask(pos(text, '${params.', 9))), ['day']);
  assert.ok(labels(await ask(pos(text, '${env.', 6))).includes('MODE'));
  // While `needs: [` is unclosed the YAML does not parse: completion uses the last good parse.
  assert.deepEqual(labels(await ask(pos(text, 'needs: [', 8))), ['a']);
  assert.deepEqual(labels(await ask(pos(text, '      - ', 8))), ['out/a.csv']);
  const keys = await ask(pos(text, '    ret', 7));
  assert.ok(
    labels(keys).includes('retries') &&
      labels(keys).includes('timeout') &&
      !labels(keys).includes('run'),
  );
  assert.ok(keys.find((k) => k.label === 'retries')?.documentation);
  const top = await ask({ line: 0, character: 0 });
  assert.ok(Array.isArray(top));
});

test('hover: a task, a cron expression, a duration and a param', async () => {
  const { uri } = await client.open(file('d.pipeline.yaml'), TEXT);
  const ask = async (p: { line: number; character: number }) =>
    (
      await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri },
        position: p,
      })
    )?.contents.value ?? '';
  const task = await ask(pos(TEXT, '  extract:', 3));
  assert.match(task, /task `extract`/);
  assert.match(task, /python extract\.py/);
  assert.match(task, /outputs: `data\/raw\.csv`/);
  assert.match(task, /downstream: 3/);
  assert.match(
    await ask(pos(TEXT, '0 0 * * *', 2)),
    /next \(local time\)[\s\S]*- [\s\S]*- [\s\S]*- /,
  );
  assert.match(await ask(pos(TEXT, '90s', 1)), /1m30s \(90000 ms\)/);
  assert.match(await ask(pos(TEXT, '${params.day}', 3)), /`day` = `2024-01-31`/);
});

test('definition and references: needs → task, input → the output that makes it, param → its declaration', async () => {
  const { uri } = await client.open(file('e.pipeline.yaml'), TEXT);
  const def = (p: { line: number; character: number }) =>
    client.request<{ range: Diag['range'] }[]>('textDocument/definition', {
      textDocument: { uri },
      position: p,
    });
  assert.deepEqual(
    (await def(pos(TEXT, '[clean, train]', 2)))[0]?.range.start,
    pos(TEXT, '  clean:', 2),
  );
  assert.deepEqual(
    (await def(pos(TEXT, 'inputs: [data/raw.csv', 10)))[0]?.range.start,
    pos(TEXT, 'data/raw.csv'),
  );
  assert.deepEqual((await def(pos(TEXT, '${params.day}', 4)))[0]?.range.start, pos(TEXT, 'day:'));
  const refs = await client.request<{ range: Diag['range'] }[]>('textDocument/references', {
    textDocument: { uri },
    position: pos(TEXT, '  clean:', 3),
    context: { includeDeclaration: false },
  });
  assert.deepEqual(
    refs.map((r) => r.range.start),
    [pos(TEXT, 'clean, train')],
  );
});

test('rename: the key and every needs entry; refuses a taken or invalid name with a message', async () => {
  const { uri } = await client.open(file('f.pipeline.yaml'), TEXT);
  const prep = await client.request<{ placeholder: string }>('textDocument/prepareRename', {
    textDocument: { uri },
    position: pos(TEXT, '  clean:', 3),
  });
  assert.equal(prep.placeholder, 'clean');
  const edit = await client.request<{
    changes: Record<string, { range: Diag['range']; newText: string }[]>;
  }>('textDocument/rename', {
    textDocument: { uri },
    position: pos(TEXT, '[clean, train]', 2),
    newName: 'tidy',
  });
  const renamed = applyLspEdits(TEXT, edit.changes[uri] ?? []);
  assert.match(renamed, /\n {2}tidy:\n/);
  assert.match(renamed, /needs: \[tidy, train\]/);
  assert.match(renamed, /# keep this comment/);
  await assert.rejects(
    client.request('textDocument/rename', {
      textDocument: { uri },
      position: pos(TEXT, '  clean:', 3),
      newName: 'report',
    }),
    /exists already/,
  );
  await assert.rejects(
    client.request('textDocument/rename', {
      textDocument: { uri },
      position: pos(TEXT, '  clean:', 3),
      newName: 'two words',
    }),
    /not a valid task name/,
  );
});

type Action = {
  title: string;
  edit: { changes: Record<string, { range: Diag['range']; newText: string }[]> };
};

async function fixes(uri: string, diagnostics: Diag[], code: string): Promise<Action[]> {
  const d = diagnostics.filter((x) => x.code === code).slice(0, 1);
  return client.request<Action[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: d[0]!.range,
    context: { diagnostics: d },
  });
}

test('quick fixes: unknown task, missing input, cycle, unknown key; comments kept', async () => {
  const { uri, diagnostics } = await client.open(file('g.pipeline.yaml'), TEXT);
  const apply = (a: Action | undefined) => applyLspEdits(TEXT, a!.edit.changes[uri] ?? []);

  const unknown = await fixes(uri, diagnostics, 'unknown-task');
  assert.deepEqual(
    unknown.map((a) => a.title),
    ["Change to 'extract'", "Create task 'extrakt'"],
  );
  assert.match(apply(unknown[0]), /needs: \[extract\]/);
  assert.match(apply(unknown[1]), /\n {2}extrakt:\n {4}run: "echo \\"TODO: extrakt\\""\n$/);

  const missing = await fixes(uri, diagnostics, 'missing-input');
  assert.deepEqual(
    missing.map((a) => a.title),
    ["Add 'data/lookup.csv' to sources", "Create a task that outputs 'data/lookup.csv'"],
  );
  assert.match(apply(missing[0]), /\nsources:\n {2}- data\/lookup\.csv\ntasks:/);
  const created = apply(missing[1]);
  assert.match(created, /\n {2}make_lookup:\n {4}run: .*\n {4}outputs: \[data\/lookup\.csv\]\n$/);

  const cycle = await fixes(uri, diagnostics, 'cycle');
  assert.equal(cycle.length, 1);
  assert.match(cycle[0]!.title, /Remove this dependency/);
  const noCycle = apply(cycle[0]);
  assert.match(noCycle, /needs: \[clean\] {3}# keep this comment|needs: \[clean\]/);
  assert.match(noCycle, /# keep this comment/);

  const key = await fixes(uri, diagnostics, 'schema');
  assert.deepEqual(
    key.map((a) => a.title),
    ["Change to 'retries'"],
  );
  for (const a of [...unknown, ...missing, ...cycle, ...key])
    assert.match(apply(a), /# extract first/);
});

test('quick fix: quote a flow item that holds ${...}', async () => {
  const text =
    'pipeline: q\nparams: {day: "1"}\ntasks:\n  a:\n    run: x\n    outputs: [data/${params.day}.csv]\n';
  const { uri, diagnostics } = await client.open(file('h.pipeline.yaml'), text);
  assert.deepEqual(
    diagnostics.map((d) => d.code),
    ['yaml-syntax'],
  );
  const [fix] = await fixes(uri, diagnostics, 'yaml-syntax');
  assert.equal(fix?.title, 'Quote this item');
  const fixed = applyLspEdits(text, fix!.edit.changes[uri] ?? []);
  assert.match(fixed, /outputs: \["data\/\$\{params\.day\}\.csv"\]/);
  assert.deepEqual(await client.change(uri, fixed), []);
});

test('outline and folding', async () => {
  const { uri } = await client.open(file('i.pipeline.yaml'), TEXT);
  const symbols = await client.request<
    { name: string; children?: { name: string; children?: { name: string }[] }[] }[]
  >('textDocument/documentSymbol', { textDocument: { uri } });
  const tasks = symbols.find((s) => s.name === 'tasks');
  assert.deepEqual(
    tasks?.children?.map((c) => c.name),
    ['extract', 'clean', 'report', 'train'],
  );
  assert.deepEqual(
    tasks?.children?.[0]?.children?.map((c) => c.name),
    ['run', 'outputs', 'timeout'],
  );
  const folds = await client.request<{ startLine: number; endLine: number }[]>(
    'textDocument/foldingRange',
    { textDocument: { uri } },
  );
  assert.ok(folds.some((f) => f.startLine === 6 && f.endLine === 9));
});
