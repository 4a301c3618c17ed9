/** Hostile text (contract §3): the built server answers after every edit, and while a real file is typed its diagnostics equal the validator's. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { LineIndex } from '../../core/text/lines';
import { validate } from '../../core/validate/validate';
import { type Diag, LspClient, serverForTests } from './lspClient';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-hostile-'));
let client: LspClient;

serverForTests((c) => (client = c), dir);

/** Every kind of request at one position; resolves when all are answered. */
async function askEverything(uri: string, diagnostics: Diag[]): Promise<void> {
  const position = { line: 3, character: 6 };
  await Promise.all([
    client.request('textDocument/hover', { textDocument: { uri }, position }),
    client.request('textDocument/completion', { textDocument: { uri }, position }),
    client.request('textDocument/definition', { textDocument: { uri }, position }),
    client.request('textDocument/references', {
      textDocument: { uri },
      position,
      context: { includeDeclaration: true },
    }),
    // A refusal (invalid params, with a message for the user) is an answer too.
    client
      .request('textDocument/prepareRename', { textDocument: { uri }, position })
      .catch((e: { code?: number }) => {
        if (e?.code !== -32602) throw e;
      }),
    client.request('textDocument/documentSymbol', { textDocument: { uri } }),
    client.request('textDocument/foldingRange', { textDocument: { uri } }),
    client.request('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: position, end: position },
      context: { diagnostics: diagnostics.slice(0, 20) },
    }),
  ]);
}

// Random but repeatable bytes.
function bytes(n: number, seed: number): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out += String.fromCharCode(x % 256);
  }
  return out;
}

const task = 'pipeline: h\ntasks:\n  a:\n    run: ';
const HOSTILE: [string, string][] = [
  ['random bytes', bytes(100_000, 1)],
  ['random bytes after a valid head', task + bytes(50_000, 2)],
  ['a 10 MB line', task + 'x'.repeat(10_000_000) + '\n'],
  ['10 MB of unclosed ${', task + '${params.'.repeat(1_000_000) + '\n'],
  ['20,000 nested [', '['.repeat(20_000)],
  [
    '5,000 nested block mappings',
    Array.from({ length: 5000 }, (_, i) => ' '.repeat(i) + 'k:').join('\n'),
  ],
  ['NUL and lone surrogates', 'pipeline: \u0000\ud800\ntasks:\n  a\u0000:\n    run: \udfff\n'],
  [
    'an alias bomb',
    'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\npipeline: x\ntasks:\n  a:\n    run: x\n    needs: *f\n    inputs: *f\n',
  ],
  ['an alias loop', 'pipeline: x\ntasks: &t\n  a:\n    run: x\n    <<: *t\n'],
  ['CR only line ends', 'pipeline: x\rtasks:\r  a:\r    run: x\r    needs: [b]\r'],
];

test(
  'hostile text: after each edit the server publishes and answers every request',
  { timeout: 300_000 },
  async () => {
    const { uri } = await client.open(path.join(dir, 'h.pipeline.yaml'), task + 'echo\n');
    for (const [name, text] of HOSTILE) {
      const diagnostics = await client.change(uri, text);
      await askEverything(uri, diagnostics);
      assert.equal(client.exited, false, name);
    }
    // And it still reads a good file afterwards.
    assert.deepEqual(await client.change(uri, task + 'echo\n'), []);
  },
);

const REAL = `# Daily churn model\r
pipeline: churn\r
params:\r
  day: "2024-01-31"\r
defaults: &defaults\r
  retries: 1\r
  retry_delay: 5s\r
schedule: ["0 0 * * *", "30 */6 * * 1-5"]\r
sources: [incoming/]\r
resources: {db: 1}\r
tasks:\r
  extract:\r
    run: python steps/extract.py --day \${params.day}\r
    inputs: [incoming/]\r
    outputs:\r
      - data/raw/\${params.day}.csv\r
  validate:\r
    run: python steps/validate.py data/raw/\${params.day}.csv\r
    inputs: ["data/raw/\${params.day}.csv"]    # implies: needs extract\r
    outputs: ["data/valid/\${params.day}.csv"]\r
  features:\r
    <<: *defaults\r
    run: |\r
      python steps/features.py \\\r
        data/valid/\${params.day}.csv data/features/\r
    inputs: ["data/valid/\${params.day}.csv"]\r
    outputs: [data/features/]\r
    resources: {db: 1}\r
  train:\r
    run: python steps/train.py\r
    needs: [features]\r
    outputs: [models/model.json]\r
    timeout: 2h\r
  deploy:\r
    needs: [train]\r
    run: python steps/deploy.py   # ship it\r
`;

const brief = (
  lines: LineIndex,
  f: { range: { start: number; end: number }; code: string; message: string },
) => {
  const s = lines.position(f.range.start);
  const e = lines.position(f.range.end);
  return `${s.line}:${s.character}-${e.line}:${e.character} ${f.code} ${f.message}`;
};

test(
  'typing a real file (CRLF, BOM, anchors, block scalars), every prefix: the server answers and equals the validator',
  { timeout: 300_000 },
  async () => {
    fs.mkdirSync(path.join(dir, 'incoming'), { recursive: true });
    const full = '\ufeff' + REAL;
    const { uri } = await client.open(path.join(dir, 'typed.pipeline.yaml'), '');
    for (let i = 0; i <= full.length; i += 2) {
      const text = full.slice(0, i);
      const got = await client.change(uri, text);
      const lines = new LineIndex(text);
      // missing-input depends on the disk (the server's folder): compared apart below.
      const want = validate(text)
        .findings.filter((f) => f.code !== 'missing-input')
        .map((f) => brief(lines, f));
      const seen = got
        .filter((d) => d.code !== 'missing-input')
        .map(
          (d) =>
            `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.code} ${d.message}`,
        );
      assert.deepEqual(seen, want, `prefix ${i}: ${JSON.stringify(text.slice(-30))}`);
    }
    assert.deepEqual(await client.change(uri, full), []);
  },
);
