/** The fuzz corpus shared by the core fuzz test and the language server's robustness test. */
import * as fs from 'node:fs';
import * as path from 'node:path';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'validate');

/** Every golden pipeline, valid and invalid: the seeds that mutations start from. */
export const seeds = fs
  .readdirSync(fixtures)
  .map((d) => fs.readFileSync(path.join(fixtures, d, 'pipeline.yaml'), 'utf8'));

const snippets = [
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
  "'",
  '#',
  '|\n',
  '\0',
  '\uFFFD',
  '${params.',
  'needs: [',
  '  ',
  '\n',
  '? ',
  '!!binary ',
  '%YAML 1.2\n---\n',
];

/** A deterministic PRNG (mulberry32), so that a failure can be replayed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One to four random insertions, deletions, truncations or odd characters. */
export function mutate(text: string, r: () => number): string {
  let out = text;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (out.length + 1));
    const op = r();
    if (op < 0.4)
      out = out.slice(0, at) + snippets[Math.floor(r() * snippets.length)] + out.slice(at);
    else if (op < 0.7) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(r() * 10));
    else if (op < 0.85) out = out.slice(0, at) + out.slice(Math.floor(r() * out.length));
    else out = out.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + out.slice(at);
  }
  return out;
}
