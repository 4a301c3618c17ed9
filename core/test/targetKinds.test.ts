/** Review of 42f934e: the new target checks refuse only what a run can never satisfy. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validate } from '../validate/validate';

const host = { exists: () => true, globMatches: () => true };
const errors = (text: string) =>
  validate(text, { host })
    .findings.filter((f) => f.severity === 'error')
    .map((f) => f.message);

test('a target of another kind in inputs or sources is not an error (it ran before; only an output can never be made)', () => {
  const text = `pipeline: lake
sources:
  - s3: {bucket: raw, prefix: events/}
tasks:
  pull:
    run: echo pull > events.csv
    inputs:
      - s3: {bucket: raw, prefix: events/}
    outputs: [events.csv]
`;
  assert.deepEqual(errors(text), []);
  // Still said, as a warning on the kind's key (a typo such as `postgress` is caught).
  const v = validate(text, { host });
  assert.deepEqual(
    v.findings.map((f) => `${f.severity} ${f.code}`),
    ['warning schema', 'warning schema'],
  );
});

test('an output of another kind is still an error', () => {
  const text = `pipeline: lake
tasks:
  push:
    run: echo push
    outputs:
      - s3: {bucket: raw, key: x}
`;
  assert.equal(errors(text).length, 1);
  assert.match(errors(text)[0] ?? '', /unknown target kind 's3'/);
});

test('an output whose file name holds brackets is a file, not a glob (the runner checks it as written)', () => {
  const text = `pipeline: b
tasks:
  report:
    run: echo r > "out/report[2024].csv"
    outputs: ["out/report[2024].csv", "out/[draft] notes.txt"]
`;
  assert.deepEqual(errors(text), []);
  // A real wildcard is still refused.
  assert.equal(
    errors(text.replace('outputs: ["out/report[2024].csv"', 'outputs: ["out/*.csv"')).filter((m) =>
      /glob/.test(m),
    ).length,
    1,
  );
});
