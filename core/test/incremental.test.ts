/** The incremental parser equals the full parse: on every fixture, fuzzed texts and edit sequences. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { isNode } from 'yaml';
import { IncrementalParser } from '../parse/incremental';
import { parsePipeline, type ParseResult } from '../parse/parse';
import { ValidationCache } from '../validate/cache';
import { validate, validateParsed } from '../validate/validate';
import { mutate, rng, seeds } from './mutations';

/** What callers see: the model and the findings in position order (the yaml Document aside). */
function comparable(r: ParseResult): unknown {
  const plain = JSON.parse(
    JSON.stringify(
      { ...r.pipeline, taskIndex: [...r.pipeline.taskIndex.keys()] },
      (_k, v: unknown) => (isNode(v) ? { yaml: v.toJSON() } : v),
    ),
  ) as unknown;
  const findings = [...r.findings].sort(
    (a, b) =>
      a.range.start - b.range.start ||
      a.range.end - b.range.end ||
      a.code.localeCompare(b.code) ||
      a.message.localeCompare(b.message),
  );
  return { pipeline: plain, findings, syntaxOk: r.syntaxOk };
}

/**
 * Valid YAML: exactly the full parse. Invalid YAML: invalid too, reported only as syntax
 * errors (within the block that holds them, so positions may differ from the full parse).
 */
function same(text: string, parser = new IncrementalParser()): void {
  const full = parsePipeline(text);
  const mine = parser.parse(text);
  if (full.syntaxOk) {
    assert.deepEqual(comparable(mine), comparable(full), text);
    return;
  }
  assert.equal(mine.syntaxOk, false, text);
  assert.ok(mine.findings.length > 0, text);
  for (const f of mine.findings) {
    assert.equal(f.code, 'yaml-syntax', text);
    assert.ok(f.range.start >= 0 && f.range.end <= text.length, text);
  }
}

const root = path.join(import.meta.dirname, 'fixtures');
const corpus = [
  ...seeds,
  ...fs.readdirSync(path.join(root, 'edit')).flatMap((d) =>
    ['input.yaml', 'expected.yaml']
      .map((f) => path.join(root, 'edit', d, f))
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f, 'utf8')),
  ),
];
const demo = fs.readFileSync(
  path.join(import.meta.dirname, '..', '..', 'examples', 'weather', 'weather.pipeline.yaml'),
  'utf8',
);
corpus.push(demo);

test('equal to the full parse on every fixture and the demo', () => {
  for (const text of corpus) same(text);
});

test('once (the runner): equal to the full parse, and nothing kept for a next version', () => {
  for (const text of corpus) same(text, new IncrementalParser({ once: true }));
  const parser = new IncrementalParser({ once: true });
  parser.parse(demo);
  const before = parser.stats.blockParses;
  assert.ok(before > 0);
  // The same text again: every block parsed again (a kept parser would reuse them all).
  parser.parse(demo);
  assert.equal(parser.stats.blockParses, 2 * before);
});

test('once without ranges: the full parse less its source ranges (the runner parse cache)', () => {
  const RANGES = new Set(['range', 'keyRange', 'fields', 'poolRanges']);
  const bare = (r: ParseResult): unknown =>
    JSON.parse(
      JSON.stringify(r.pipeline.tasks, (k, v: unknown) => (RANGES.has(k) ? undefined : v)),
    );
  let checked = 0;
  for (const text of corpus) {
    const full = parsePipeline(text);
    if (!full.syntaxOk || full.findings.length > 0) continue;
    const parser = new IncrementalParser({ once: true, ranges: false });
    const mine = parser.parse(text);
    assert.deepEqual(bare(mine), bare(full), text);
    // A text that falls back (anchors, flow tasks…) is parsed whole, ranges and all.
    if (parser.stats.fullParses > 0) continue;
    for (const t of mine.pipeline.tasks) {
      assert.deepEqual(t.keyRange, { start: 0, end: 0 });
      for (const n of t.needs) assert.deepEqual(n.range, { start: 0, end: 0 });
    }
    checked++;
  }
  assert.ok(checked > 5, `${checked} clean texts`);
});

test('equal to the full parse on 2,000 mutations, each parsed after its seed by the same parser', () => {
  const r = rng(7);
  for (let i = 0; i < 2000; i++) {
    const parser = new IncrementalParser();
    const seed = seeds[i % seeds.length] ?? '';
    parser.parse(seed);
    same(mutate(seed, r), parser);
  }
});

test('an edit sequence on a large pipeline: each result equal, only the edited block re-parsed', () => {
  let text = 'pipeline: big\nparams:\n  day: "1"\ntasks:\n';
  for (let i = 0; i < 300; i++)
    text += `  t${i}:\n    run: python s.py ${i} \${params.day}\n    needs: [${i ? `t${i - 1}` : ''}]\n    outputs: [d/${i}.csv]\n\n`;
  const parser = new IncrementalParser();
  same(text, parser);
  assert.deepEqual(parser.stats, { fullParses: 0, blockParses: 300 });
  const inRun = text.indexOf('s.py 150') + 4;
  text = text.slice(0, inRun) + 'x' + text.slice(inRun);
  same(text, parser);
  assert.deepEqual(parser.stats, { fullParses: 0, blockParses: 301 });
  const r = rng(3);
  for (let i = 0; i < 60; i++) {
    const at = Math.floor(r() * text.length);
    const insert = ['x', '\n', ' ', '${params.d', '#', 'ay}', '"'][i % 7] ?? 'x';
    text = text.slice(0, at) + insert + text.slice(at);
    same(text, parser);
  }
});

test('the shapes that fall back: anchors, a key after tasks, flow tasks, duplicates', () => {
  const base = 'pipeline: p\ntasks:\n  a:\n    run: x\n';
  for (const text of [
    'x-common: &c {retries: 1}\n' + base + '  b:\n    <<: *c\n    run: y\n',
    base + '  b:\n    run: &r y\n  c:\n    run: *r\n',
    base + 'params: {a: "1"}\n',
    'pipeline: p\ntasks: {a: {run: x}}\n',
    base + '  a:\n    run: y\n',
    base + '  - b\n',
    base + '  b:\n    run: "y\n  c:\n    run: z"\n',
    base + '  b:\n    needs: [a,\n  c:\n    run: z]\n',
    // `tasks:#` is a plain scalar, not the key with a comment (found by the editing session).
    base.replace('tasks:', 'tasks:#'),
  ]) {
    const parser = new IncrementalParser();
    same(text, parser);
    assert.equal(parser.stats.fullParses, 1, text);
  }
});

/** A file with every kind of text that an earlier regex mistook for anchors or aliases. */
const COMMANDS = `pipeline: shell
schedule: ['0 0 * * *', "*/5 * * * *"]
params: {day: '2024-01-31'}
tasks:
  a:
    run: cat incoming/*.csv > all.csv && echo "done *" || echo 'failed &'
    outputs: [all.csv]
  b:
    description: "&anchor-looking *text, in quotes"
    run: >-
      grep -c '&x' all.csv && ls *.csv
      | wc -l > \${params.day}.txt
    inputs: [all.csv]
    outputs:
      - \${params.day}.txt
  c:
    run: 'a && b *c &d'
    env: {GLOB: '*.csv', AND: "&&"}
    needs: [b]
  d:
    retries: &two 2
    timeout: 10m
    run: echo *two && true
    resources: {}
  e:
    <<: {retries: 1}
    run: x=*two
`;

test('the fast path on the demo, every golden fixture with a schedule, and commands with *, && and quotes', () => {
  const scheduled = fs
    .readdirSync(path.join(root, 'validate'))
    .map((d) => fs.readFileSync(path.join(root, 'validate', d, 'pipeline.yaml'), 'utf8'))
    .filter((t) => /^schedule:/m.test(t));
  assert.ok(scheduled.length >= 2);
  for (const text of [demo, ...scheduled, COMMANDS]) {
    const parser = new IncrementalParser();
    same(text, parser);
    assert.equal(parser.stats.fullParses, 0, text);
    assert.ok(parser.stats.blockParses > 0, text);
  }
  // An anchor and its alias in one block stay there: still the fast path, same result.
  assert.equal(new IncrementalParser().parse(COMMANDS).pipeline.taskIndex.get('d')?.retries, 2);
});

test('fast-path texts stay equal to the full parse under 1,000 mutations', () => {
  const r = rng(11);
  const texts = [demo, COMMANDS];
  for (let i = 0; i < 1000; i++) {
    const parser = new IncrementalParser();
    const seed = texts[i % texts.length] ?? '';
    parser.parse(seed);
    same(mutate(seed, r), parser);
  }
});

/** The graph as plain data (index as entries, yaml nodes by value as in `comparable`). */
const plainGraph = (v: ReturnType<typeof validate>): unknown =>
  JSON.parse(
    JSON.stringify({ ...v.graph, index: [...v.graph.index] }, (_k, x: unknown) =>
      isNode(x) ? { yaml: x.toJSON() } : x,
    ),
  );

test('a long editing session: parse and validation with the state kept equal fresh ones at every step', () => {
  const r = rng(5);
  // Half the paths on disk, so that missing inputs come and go; a cycle to keep or break.
  const host = { exists: (f: string): boolean => f.length % 2 === 0 };
  const cycle = fs.readFileSync(
    path.join(root, 'validate', 'cycle-three', 'pipeline.yaml'),
    'utf8',
  );
  const missing = fs.readFileSync(
    path.join(root, 'validate', 'missing-input', 'pipeline.yaml'),
    'utf8',
  );
  // Needs in flow and block lists, and data edges beside them.
  let chain = 'pipeline: chain\ntasks:\n';
  for (let i = 0; i < 30; i++)
    chain += `  t${i}:\n    run: echo ${i}\n    outputs: [d/${i}.csv]\n${i % 3 === 2 ? `    inputs: [d/${i - 2}.csv]\n` : ''}${i === 0 ? '' : i % 2 ? `    needs: [t${i - 1}]\n` : `    needs:\n      - t${i - 1}\n`}`;
  for (const [start, inPlace] of [demo, COMMANDS, cycle, missing, chain].flatMap((t) => [
    [t, false] as const,
    [t, true] as const,
  ])) {
    const parser = new IncrementalParser({ inPlace });
    const cache = new ValidationCache();
    let lastValid = start;
    for (let i = 0; i < 200; i++) {
      // A syntax error is fixed at the next step (as a user would), so the session stays on
      // pipelines with tasks and needs rather than drifting into noise.
      let text = lastValid;
      // Mostly typing inside a command (the graph keeps its shape) or in a `needs` list (the
      // graph is re-wired), sometimes anything.
      const runs = [...text.matchAll(/^ {4}run: .*$/gm)];
      const m = runs[Math.floor(r() * runs.length)];
      const needs = [...text.matchAll(/^ {4}needs: \[[^\]\n]*\]|^ {6}- \w+$/gm)];
      const n = needs[Math.floor(r() * needs.length)];
      const names = [...text.matchAll(/^ {2}(\w+):$/gm)].map((x) => x[1] ?? '');
      const pick = r();
      if (m && pick < 0.45) {
        const at = (m.index ?? 0) + 9 + Math.floor(r() * (m[0].length - 9));
        text = text.slice(0, at) + (['x', ' ', '&&', '*', '"'][i % 5] ?? 'x') + text.slice(at);
      } else if (n && pick < 0.85) {
        // A name typed or deleted at the end of the list, or another task added to it.
        const end = (n.index ?? 0) + n[0].length - (n[0].endsWith(']') ? 1 : 0);
        const other = names[Math.floor(r() * names.length)] ?? 'x';
        const edit = Math.floor(r() * 3);
        text =
          edit === 0
            ? text.slice(0, end) + 'x' + text.slice(end)
            : edit === 1 && /\w$/.test(text.slice(0, end))
              ? text.slice(0, end - 1) + text.slice(end)
              : text.slice(0, end) +
                (n[0].endsWith(']') ? `, ${other}` : `\n      - ${other}`) +
                text.slice(end);
      } else text = mutate(text, r);
      same(text, parser);
      const full = validate(text, { host });
      const mine = validateParsed(parser.parse(text), { cache, host });
      if (!full.syntaxOk) continue;
      lastValid = text;
      assert.deepEqual(mine.findings, full.findings, text);
      assert.deepEqual(plainGraph(mine), plainGraph(full), text);
    }
    assert.ok(cache.stats.reused > 30, JSON.stringify(cache.stats));
    if (start === chain) assert.ok(cache.stats.rewired > 10, JSON.stringify(cache.stats));
  }
});
