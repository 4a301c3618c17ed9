/** Any text: the server answers every request and stays alive (the core fuzz corpus, as didOpen/didChange). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { mutate, rng, seeds } from '../../core/test/mutations';
import { LspClient } from './lspClient';

test('robustness: 400 mutated documents, each followed by hover, completion, symbols and code actions', async () => {
  const client = new LspClient();
  await client.start();
  const r = rng(1);
  const { uri } = await client.open(
    path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trib-fuzz-')), 'f.pipeline.yaml'),
    seeds[0] ?? '',
  );
  for (let i = 0; i < 400; i++) {
    const text = mutate(seeds[i % seeds.length] ?? '', r);
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
