/** Completion in `needs` (flow and block lists) never offers the task itself, a listed task, or one that would close a cycle. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LspClient, pos, serverForTests } from './lspClient';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-needs-'));
let client: LspClient;

serverForTests((c) => (client = c));

// extract → clean → report (needs) and clean → train (data: train reads clean's output);
// audit depends on nothing and nothing depends on it.
const HEAD = `pipeline: n
tasks:
  extract:
    run: echo
  clean:
    run: echo
    outputs: [data/clean.csv]
    needs: [extract]
  report:
    run: echo
    needs:
      - clean
  train:
    run: echo
    inputs: [data/clean.csv]
  audit:
    run: echo
`;

const labels = async (uri: string, p: { line: number; character: number }): Promise<string[]> => {
  const r = await client.request<{ label: string }[] | { items: { label: string }[] }>(
    'textDocument/completion',
    { textDocument: { uri }, position: p },
  );
  return (Array.isArray(r) ? r : r.items).map((i) => i.label).sort();
};

test('flow list: downstream tasks (by needs and by data), the task itself and listed tasks are left out', async () => {
  // clean gets a needs list being typed: report (needs clean) and train (reads clean's output)
  // would close a cycle; extract is listed already; clean is the task itself.
  const text = HEAD.replace('needs: [extract]', 'needs: [extract, ]');
  const { uri } = await client.open(path.join(dir, 'flow.pipeline.yaml'), text);
  assert.deepEqual(await labels(uri, pos(text, 'needs: [extract, ', 17)), ['audit']);
  // On the root task every task but audit depends on it.
  const text2 = text.replace(
    '  extract:\n    run: echo\n',
    '  extract:\n    run: echo\n    needs: []\n',
  );
  await client.change(uri, text2);
  assert.deepEqual(await labels(uri, pos(text2, 'needs: []', 8)), ['audit']);
  const text3 = text2.replace('needs: []', 'needs: [audit]');
  await client.change(uri, text3);
  // The item under the cursor is being replaced: it is offered again.
  assert.deepEqual(await labels(uri, pos(text3, 'needs: [audit]', 13)), ['audit']);
});

test('block list: the same rules, including names typed above while the YAML does not parse', async () => {
  // audit needs report, typed as a block list; then a new item below it.
  const text = HEAD.replace(
    '  audit:\n    run: echo\n',
    '  audit:\n    run: echo\n    needs:\n      - report\n      - \n',
  );
  const { uri } = await client.open(path.join(dir, 'block.pipeline.yaml'), text);
  assert.deepEqual(await labels(uri, pos(text, '      - \n', 8)), ['clean', 'extract', 'train']);
  // report's own block list: clean is listed, report is itself, and audit now depends on report.
  const broken = text.replace('      - clean\n', '      - clean\n      - [\n');
  await client.change(uri, broken);
  assert.deepEqual(await labels(uri, pos(broken, '      - [\n', 8)), ['extract', 'train']);
});

test('a transitive dependant through a chain is left out, an unrelated task is offered', async () => {
  const text = `pipeline: chain
tasks:
  a:
    run: echo
    needs: [d, ]
  b:
    run: echo
    needs: [a]
  c:
    run: echo
    needs: [b]
  d:
    run: echo
  e:
    run: echo
    needs: [c]
`;
  const { uri } = await client.open(path.join(dir, 'chain.pipeline.yaml'), text);
  assert.deepEqual(await labels(uri, pos(text, 'needs: [d, ', 11)), []);
  const text2 = text.replace('  d:\n    run: echo\n', '  d:\n    run: echo\n  f:\n    run: echo\n');
  await client.change(uri, text2);
  assert.deepEqual(await labels(uri, pos(text2, 'needs: [d, ', 11)), ['f']);
});
