/** Review of 50a513c: `run: ""` on a task that only groups its needs (Luigi's WrapperTask) ran and still runs; alone it is an error. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validate } from '../validate/validate';

const host = { exists: () => true, globMatches: () => true };
const errors = (text: string) =>
  validate(text, { host })
    .findings.filter((f) => f.severity === 'error')
    .map((f) => `${text.slice(f.range.start, f.range.end)} ${f.message}`);

test('a task that only groups its needs may have an empty command (it validated and ran before 50a513c)', () => {
  const text = `pipeline: g
tasks:
  train:
    run: python train.py
  report:
    run: python report.py
  all:
    needs: [train, report]
    run: ""
`;
  assert.deepEqual(errors(text), []);
});

test('an empty command on a task with nothing to group is still an error on its value', () => {
  const text = `pipeline: e
tasks:
  a:
    run: ""
  b:
    run: "   "
    outputs: [b.txt]
`;
  assert.deepEqual(errors(text), [
    '"" tasks.a.run is empty: write the command the task runs',
    '"   " tasks.b.run is empty: write the command the task runs',
  ]);
});
