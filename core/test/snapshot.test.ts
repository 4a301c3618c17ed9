import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { buildGraph } from '../graph/graph';
import { parsePipeline } from '../parse/parse';
import { fromSnapshot, snapshotJson, writeSnapshot } from '../parse/snapshot';
import { validateParsed } from '../validate/validate';

const fixtures = path.join(import.meta.dirname, 'fixtures', 'validate');

test('snapshot: a restored parse gives the same graph, settings and findings', () => {
  for (const name of fs.readdirSync(fixtures)) {
    const text = fs.readFileSync(path.join(fixtures, name, 'pipeline.yaml'), 'utf8');
    const parsed = parsePipeline(text);
    const restored = fromSnapshot(JSON.parse(snapshotJson(parsed)));
    assert.ok(restored, name);
    const edges = (p: typeof parsed) =>
      buildGraph(p.pipeline).edges.map((e) => [e.from, e.to, e.kind, e.via]);
    assert.deepEqual(edges(restored), edges(parsed), name);
    assert.deepEqual(restored.findings, parsed.findings, name);
    assert.deepEqual(
      restored.pipeline.tasks.map((t) => [
        t.name,
        t.run,
        t.retries,
        t.timeoutMs,
        t.env,
        t.resources,
      ]),
      parsed.pipeline.tasks.map((t) => [t.name, t.run, t.retries, t.timeoutMs, t.env, t.resources]),
    );
    // Semantic findings of a restored parse have no ranges (the runner re-parses when there are any).
    const codes = (v: ReturnType<typeof validateParsed>) => v.findings.map((f) => f.code).sort();
    assert.deepEqual(codes(validateParsed(restored)), codes(validateParsed(parsed)), name);
  }
});

test('snapshot: another version is refused (parse again)', () => {
  const s = JSON.parse(snapshotJson(parsePipeline('pipeline: p\ntasks:\n  a: {run: x}\n')));
  assert.ok(fromSnapshot(s));
  assert.equal(fromSnapshot({ ...s, version: 0 }), undefined);
});

test('snapshot: written a task at a time, the text is what one JSON.stringify of it gave', () => {
  const ranges = new Set(['range', 'keyRange', 'fields', 'paramRanges', 'poolRanges']);
  for (const name of fs.readdirSync(fixtures)) {
    const parsed = parsePipeline(
      fs.readFileSync(path.join(fixtures, name, 'pipeline.yaml'), 'utf8'),
    );
    const { taskIndex: _i, ...pipeline } = parsed.pipeline;
    const body = JSON.stringify(pipeline, (k, v: unknown) => (ranges.has(k) ? undefined : v));
    const rest = JSON.stringify({
      key: 'k',
      version: 2,
      findings: parsed.findings,
      syntaxOk: parsed.syntaxOk,
    });
    const pieces: string[] = [];
    writeSnapshot(parsed, { key: 'k' }, (x) => pieces.push(x));
    assert.equal(pieces.join(''), `${rest.slice(0, -1)},"pipeline":${body}}`, name);
    if (parsed.pipeline.tasks.length > 1)
      assert.ok(pieces.length > parsed.pipeline.tasks.length, name);
  }
});
