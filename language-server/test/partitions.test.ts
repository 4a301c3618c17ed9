/** The built language server over stdio: completion and hover of `partitions:` keys and `${partition…}`. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LspClient, pos, serverForTests } from './lspClient';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-lsp-partitions-'));
let client: LspClient;
serverForTests((c) => (client = c), dir);

type Item = { label: string; documentation?: { value: string } | string };
const labels = (items: Item[] | { items: Item[] }) =>
  (Array.isArray(items) ? items : items.items).map((i) => i.label);

const GOOD = `pipeline: daily
partitions:
  daily:
    start: "2024-01-01"
    end: "2024-01-31"
    timezone: Europe/Paris
tasks:
  extract:
    run: python extract.py --day \${partition} --from \${partition.start}
    outputs: ["data/raw/\${partition}.csv"]
`;

test('completion: the partitions: grains, the period keys, and ${partition…} values', async () => {
  const file = path.join(dir, 'c.pipeline.yaml');
  const text = `pipeline: daily
partitions:
  da
tasks:
  extract:
    run: echo \${
`;
  const { uri } = await client.open(file, GOOD);
  const ask = async (t: string, p: { line: number; character: number }) => {
    await client.change(uri, t);
    return client.request<Item[]>('textDocument/completion', {
      textDocument: { uri },
      position: p,
    });
  };
  // Under `partitions:` the grains and values:, each with what its keys look like.
  const grains = await ask(text, pos(text, '  da', 4));
  assert.deepEqual(labels(grains).sort(), ['daily', 'hourly', 'monthly', 'values', 'weekly']);
  const weekly = grains.find((i) => i.label === 'weekly')!;
  assert.match(JSON.stringify(weekly.documentation), /2024-W05/);
  // Under `daily:` start, end, timezone — without the ones already written.
  const period = GOOD.replace('    end: "2024-01-31"\n', '    en\n');
  assert.deepEqual(labels(await ask(period, pos(period, '    en', 6))).sort(), ['end']);
  // `${` offers the partition values when the pipeline has partitions.
  const refs = await ask(
    GOOD + '  more:\n    run: echo ${\n',
    pos(GOOD + '  more:\n    run: echo ${\n', 'echo ${', 7),
  );
  for (const l of ['partition', 'partition.start', 'partition.end'])
    assert.ok(labels(refs).includes(l), l);
  // `${partition.` completes start and end, documented with this pipeline's period (Paris, +01:00).
  const dot = GOOD + '  more:\n    run: echo ${partition.\n';
  const after = await ask(dot, pos(dot, '${partition.', 12));
  assert.deepEqual(labels(after), ['start', 'end']);
  assert.match(JSON.stringify(after[0]!.documentation), /2024-01-31T00:00:00\+01:00/);
  // Without partitions: `${` does not offer them.
  const plain = 'pipeline: p\ntasks:\n  a:\n    run: echo ${\n';
  assert.ok(!labels(await ask(plain, pos(plain, 'echo ${', 7))).includes('partition'));
});

test('hover: ${partition}, ${partition.start} with its period, and the partitions: keys', async () => {
  const { uri } = await client.open(path.join(dir, 'h.pipeline.yaml'), GOOD);
  const ask = async (p: { line: number; character: number }) =>
    (
      await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri },
        position: p,
      })
    )?.contents.value ?? '';
  // The end is in the past: the latest finished partition is the end, 2024-01-31 in Paris.
  const key = await ask(pos(GOOD, '${partition}', 3));
  assert.match(key, /daily in Europe\/Paris/);
  assert.match(
    key,
    /`2024-01-31` \(period `2024-01-31T00:00:00\+01:00` → `2024-02-01T00:00:00\+01:00`\)/,
  );
  assert.match(
    await ask(pos(GOOD, '${partition.start}', 5)),
    /Start of the partition period[\s\S]*`2024-01-31T00:00:00\+01:00`/,
  );
  assert.match(await ask(pos(GOOD, '  daily:', 3)), /One partition per day, keyed `2024-01-31`/);
  assert.match(await ask(pos(GOOD, 'timezone:', 2)), /IANA time zone/);
  assert.match(await ask(pos(GOOD, 'start:', 2)), /The first partition/);
  // values: partitions have no period.
  const values =
    'pipeline: v\npartitions:\n  values: [eu, us]\ntasks:\n  a:\n    run: echo ${partition.end} ${partition}\n';
  const v = await client.open(path.join(dir, 'v.pipeline.yaml'), values);
  const hv = async (p: { line: number; character: number }) =>
    (
      await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
        textDocument: { uri: v.uri },
        position: p,
      })
    )?.contents.value ?? '';
  assert.match(await hv(pos(values, '${partition.end}', 3)), /have no period/);
  assert.match(await hv(pos(values, '${partition}', 3)), /one of `eu`, `us`/);
});
