import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cursorContext, interpolationAt } from '../lang/context';

function at(textWithCaret: string) {
  const offset = textWithCaret.indexOf('|');
  return cursorContext(textWithCaret.replace('|', ''), offset);
}

test('context: a key being typed at the top level, in a task, in defaults', () => {
  assert.deepEqual([at('pipeline: p\nsch|').path, at('pipeline: p\nsch|').atKey], [[], true]);
  const inTask = at('pipeline: p\ntasks:\n  a:\n    run: x\n    ret|');
  assert.deepEqual([inTask.path, inTask.atKey, inTask.prefix], [['tasks', 'a'], true, 'ret']);
  assert.deepEqual(at('pipeline: p\ndefaults:\n  time|').path, ['defaults']);
  assert.deepEqual(at('tasks:\n  a:\n    run: x\n  b:\n    |').path, ['tasks', 'b']);
});

test('context: values of needs and inputs, flow and block', () => {
  const flow = at('tasks:\n  a:\n    run: x\n  b:\n    needs: [a, |');
  assert.deepEqual([flow.path, flow.key, flow.atKey], [['tasks', 'b'], 'needs', false]);
  const block = at('tasks:\n  b:\n    needs:\n      - a\n      - |');
  assert.deepEqual([block.path, block.key], [['tasks', 'b'], 'needs']);
  const inputs = at('tasks:\n  b:\n    # comment\n    inputs:\n      - data/r|');
  assert.deepEqual([inputs.key, inputs.prefix], ['inputs', 'data/r']);
});

test('context: an interpolation being typed', () => {
  assert.deepEqual(interpolationAt('    run: echo ${params.da'), { ns: 'params', partial: 'da' });
  assert.deepEqual(interpolationAt('    run: echo ${env.'), { ns: 'env', partial: '' });
  assert.equal(interpolationAt('    run: echo ${params.day} x'), undefined);
});

test('context: siblings above a list item are not parents', () => {
  const c = at('tasks:\n  b:\n    run: echo\n    needs: [a]\n    inputs:\n      - |');
  assert.deepEqual([c.path, c.key], [['tasks', 'b'], 'inputs']);
  const sameIndent = at('tasks:\n  b:\n    needs:\n    - |');
  assert.deepEqual([sameIndent.path, sameIndent.key], [['tasks', 'b'], 'needs']);
});
