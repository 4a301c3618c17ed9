/** Golden edits: input.yaml + edit.json → expected.yaml (or error.txt); comments and style kept. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import type { GraphIntent } from '../edit/intents';
import { planEdit } from '../edit/plan';
import { updateGolden } from './helpers';

const root = path.join(import.meta.dirname, 'fixtures', 'edit');

for (const name of fs.readdirSync(root).sort()) {
  test(`edit: ${name}`, () => {
    const dir = path.join(root, name);
    const input = fs.readFileSync(path.join(dir, 'input.yaml'), 'utf8');
    const intent = JSON.parse(fs.readFileSync(path.join(dir, 'edit.json'), 'utf8')) as GraphIntent;
    const result = planEdit(input, intent);
    const file = path.join(dir, 'error' in result ? 'error.txt' : 'expected.yaml');
    const actual = 'error' in result ? result.error + '\n' : result.text;
    if (updateGolden) fs.writeFileSync(file, actual);
    assert.equal(actual, fs.readFileSync(file, 'utf8'));
    if (!('error' in result) && input.length > 200) {
      // Minimal: every edit touches only a small part of the file.
      const touched = result.edits.reduce(
        (n, e) => n + (e.range.end - e.range.start) + e.newText.length,
        0,
      );
      assert.ok(touched < input.length / 2, `${name} rewrote too much (${touched} chars)`);
    }
  });
}
