/** The built language server: a task's outline range (VS Code's breadcrumb) stops at its last value, never at the next task. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LspClient, pos, serverForTests } from './lspClient';

const TEXT = `pipeline: demo
tasks:
  extract:
    run: python extract.py
    outputs:
      - data/raw.csv
      # more outputs will come here

  train:
    run: |
      python train.py

  # --- deployment ---
  deploy:
    run: ./deploy.sh
`;

type Range = {
  start: { line: number; character: number };
  end: { line: number; character: number };
};
type Symbol = { name: string; range: Range; children?: Symbol[] };

let client: LspClient;
serverForTests((c) => (client = c));

const contains = (r: Range, p: { line: number; character: number }): boolean =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

test('the breadcrumb on a task key names that task, not the one above', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-ranges-'));
  const { uri } = await client.open(path.join(dir, 'r.pipeline.yaml'), TEXT);
  const symbols = await client.request<Symbol[]>('textDocument/documentSymbol', {
    textDocument: { uri },
  });
  const tasks = symbols.find((s) => s.name === 'tasks')?.children ?? [];
  assert.deepEqual(
    tasks.map((t) => t.name),
    ['extract', 'train', 'deploy'],
  );
  for (const name of ['train', 'deploy']) {
    const key = pos(TEXT, `  ${name}:`);
    for (let character = 0; character <= name.length + 3; character++) {
      const at = { line: key.line, character };
      const holding = tasks.filter((t) => contains(t.range, at)).map((t) => t.name);
      assert.ok(
        holding.every((n) => n === name),
        `${name}:${character} is inside ${holding.join(', ')}`,
      );
    }
  }
  // Each task ends on its last value's line.
  assert.equal(tasks[0]?.range.end.line, pos(TEXT, '- data/raw.csv').line);
  assert.equal(tasks[1]?.range.end.line, pos(TEXT, 'python train.py').line);
  // The text editor's cursor on the deployment comment names no task.
  const comment = pos(TEXT, '# --- deployment');
  assert.deepEqual(
    tasks.filter((t) => contains(t.range, comment)).map((t) => t.name),
    [],
  );
});
