/** The committed JSON Schema is generated from the spec the parser checks against: they cannot drift. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { parsePipeline } from '../parse/parse';
import { pipelineJsonSchema, TASK_KEYS } from '../schema/spec';

const file = path.join(import.meta.dirname, '..', '..', 'schema', 'pipeline.schema.json');

test('schema: schema/pipeline.schema.json equals the one generated from core/schema/spec.ts (npm run schema)', () => {
  assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), pipelineJsonSchema());
});

test('schema: every task key of the schema is read by the parser, and nothing else is', () => {
  const body = Object.keys(TASK_KEYS).map(
    (k) =>
      `    ${k}: ${k === 'executor' ? 'local' : k === 'retries' ? '1' : k.endsWith('delay') || k === 'timeout' ? '1s' : k === 'resources' ? '{}' : k === 'env' ? '{}' : k === 'needs' || k === 'inputs' || k === 'outputs' ? '[]' : 'x'}`,
  );
  const parsed = parsePipeline(`pipeline: p\ntasks:\n  t:\n${body.join('\n')}\n    extra: 1\n`);
  assert.deepEqual(
    Object.keys(parsed.pipeline.tasks[0]?.fields ?? {}).sort(),
    Object.keys(TASK_KEYS).sort(),
  );
  assert.deepEqual(
    parsed.findings.map((f) => f.message),
    ["unknown key 'extra' in task 't'"],
  );
});
