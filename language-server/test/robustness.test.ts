/** Any text: the server answers every request and stays alive (the core fuzz corpus, as didOpen/didChange). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LspClient } from './lspClient';

const fixtures = path.resolve(
  import.meta.dirname,
  '..',
  '..',
  'core',
  'test',
  'fixtures',
  'validate',
);
const seeds = fs
  .readdirSync(fixtures)
  .map((d) => fs.readFileSync(path.join(fixtures, d, 'pipeline.yaml'), 'utf8'));
const bits = [
  '${',
  '}',
  '[',
  ']',
  '{',
  ':',
  '- ',
  '\t',
  '\r\n',
  '*a',
  '&a ',
  '<<: *a\n',
  '"',
  '#',
  '|\n',
  '\0',
  '${params.',
  'needs: [',
  '\n  ',
];

test('robustness: 400 mutated documents, each followed by hover, completion, symbols and code actions', async () => {
  const client = new LspClient();
  await client.start();
  let seed = 1;
  const r = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const { uri } = await client.open(
    path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trib-fuzz-')), 'f.pipeline.yaml'),
    seeds[0] ?? '',
  );
  for (let i = 0; i < 400; i++) {
    let text = seeds[i % seeds.length] ?? '';
    for (let k = 0; k < 1 + Math.floor(r() * 3); k++) {
      const at = Math.floor(r() * (text.length + 1));
      text =
        r() < 0.6
          ? text.slice(0, at) + bits[Math.floor(r() * bits.length)] + text.slice(at)
          : text.slice(0, at) + text.slice(at + 1 + Math.floor(r() * 8));
    }
    const diagnostics = await client.change(uri, text);
    const lines = text.split('\n');
    const line = Math.floor(r() * lines.length);
    const position = { line, character: Math.floor(r() * ((lines[line]?.length ?? 0) + 1)) };
    await Promise.all([
      client.request('textDocument/hover', { textDocument: { uri }, position }),
      client.request('textDocument/completion', { textDocument: { uri }, position }),
      client.request('textDocument/documentSymbol', { textDocument: { uri } }),
      client.request('textDocument/definition', { textDocument: { uri }, position }),
      client.request('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: position, end: position },
        context: { diagnostics },
      }),
    ]);
  }
  assert.equal(client.exited, false);
  await client.stop();
});
