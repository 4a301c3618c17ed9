/** Cycle diagnostics over LSP: one per edge, each spelling its cycle, with the cycle's other edges as related information. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { type Diag, LspClient, pos, serverForTests } from './lspClient';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-lsp-cycles-'));
let client: LspClient;
serverForTests((c) => (client = c), dir);

type Related = {
  location: { uri: string; range: Diag['range'] };
  message: string;
};
const at = (r: Diag['range']): string => `${r.start.line}:${r.start.character}`;
const where = (text: string, needle: string, delta = 0, n = 0): string => {
  const p = pos(text, needle, delta, n);
  return `${p.line}:${p.character}`;
};

// a → b → c → a, with the edges written as a flow list, a block list and a flow list.
const THREE = `pipeline: three
tasks:
  a:
    run: echo
    needs: [c]
  b:
    run: echo
    needs:
      - a
  c:
    run: echo
    needs: [b]
  d:
    run: echo
    needs: [c]
`;

test('a three-task cycle: one diagnostic per edge, each pointing at the two other edges in cycle order', async () => {
  const { uri, diagnostics } = await client.open(path.join(dir, 'three.pipeline.yaml'), THREE);
  const cycles = diagnostics.filter((d) => d.code === 'cycle');
  const edgeC = where(THREE, '[c]', 1);
  const edgeA = where(THREE, '- a', 2);
  const edgeB = where(THREE, '[b]', 1);
  // Exactly the three edges (d → c is not in the cycle), no duplicates.
  assert.deepEqual(cycles.map((d) => at(d.range)).sort(), [edgeA, edgeB, edgeC].sort());
  for (const d of cycles) assert.equal(d.message, 'cycle: a → b → c → a');
  const related = (d: Diag) =>
    (d.relatedInformation as Related[]).map((r) => `${at(r.location.range)} ${r.message}`);
  const byEdge = new Map(cycles.map((d) => [at(d.range), d]));
  assert.deepEqual(related(byEdge.get(edgeC)!), [
    `${edgeA} a → b ('b' needs 'a')`,
    `${edgeB} b → c ('c' needs 'b')`,
  ]);
  assert.deepEqual(related(byEdge.get(edgeA)!), [
    `${edgeB} b → c ('c' needs 'b')`,
    `${edgeC} c → a ('a' needs 'c')`,
  ]);
  for (const d of cycles)
    for (const r of d.relatedInformation as Related[]) assert.equal(r.location.uri, uri);
});

test('a cycle found from several starts (two cycles sharing edges, a data edge): each edge once, each related list walks its cycle', async () => {
  // a → b → a (b needs a, a needs b) and a → b → c → a (c needs b, a needs c); b also reads a's output.
  const text = `pipeline: shared
tasks:
  a:
    run: echo
    needs: [b, c]
    outputs: [a.csv]
  b:
    run: echo
    needs: [a]
    inputs: [a.csv]
  c:
    run: echo
    needs: [b]
`;
  const { diagnostics } = await client.open(path.join(dir, 'shared.pipeline.yaml'), text);
  const cycles = diagnostics.filter((d) => d.code === 'cycle');
  const keys = cycles.map((d) => at(d.range));
  assert.equal(new Set(keys).size, keys.length, 'one diagnostic per edge');
  assert.deepEqual(
    keys.sort(),
    [
      where(text, '[b, c]', 1),
      where(text, '[b, c]', 4),
      where(text, '[a]', 1),
      where(text, 'a.csv]', 0, 1),
      where(text, '[b]', 1),
    ].sort(),
  );
  const ca = cycles.find((d) => at(d.range) === where(text, '[b, c]', 4))!;
  assert.equal(ca.message, 'cycle: a → b → c → a');
  // Its whole cycle is reachable from it: a → b (the needs entry, not the data edge) and b → c.
  assert.deepEqual(
    (ca.relatedInformation as Related[]).map((r) => [at(r.location.range), r.message]),
    [
      [where(text, '[a]', 1), "a → b ('b' needs 'a')"],
      [where(text, '[b]', 1), "b → c ('c' needs 'b')"],
    ],
  );
  const data = cycles.find((d) => at(d.range) === where(text, 'a.csv]', 0, 1))!;
  assert.equal(data.message, 'cycle: a → b → a');
  assert.deepEqual(
    (data.relatedInformation as Related[]).map((r) => r.message),
    ["b → a ('a' needs 'b')"],
  );
});

test('after edits (the kept analysis state), a cycle still yields one diagnostic per edge with its related edges', async () => {
  const { uri } = await client.open(path.join(dir, 'edits.pipeline.yaml'), THREE);
  // Typing in a command (graph reused), then breaking and re-closing the cycle (graph rebuilt).
  const typed = THREE.replace('  b:\n    run: echo', '  b:\n    run: echo hello');
  let d = (await client.change(uri, typed)).filter((x) => x.code === 'cycle');
  assert.equal(d.length, 3);
  assert.ok(d.every((x) => (x.relatedInformation ?? []).length === 2));
  const open = typed.replace('needs: [c]', 'needs: []');
  assert.deepEqual(
    (await client.change(uri, open)).map((x) => x.code),
    [],
  );
  d = (await client.change(uri, typed)).filter((x) => x.code === 'cycle');
  assert.deepEqual(
    d.map((x) => at(x.range)).sort(),
    [where(typed, '[c]', 1), where(typed, '- a', 2), where(typed, '[b]', 1)].sort(),
  );
  assert.ok(d.every((x) => (x.relatedInformation ?? []).length === 2));
});
