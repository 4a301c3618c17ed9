/** Golden cases: each folder holds pipeline.yaml and the expected findings, one a line. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { validate } from '../validate/validate';
import { folderHost, formatFindings, updateGolden } from './helpers';

const root = path.join(import.meta.dirname, 'fixtures', 'validate');

for (const name of fs.readdirSync(root).sort()) {
  test(`validate: ${name}`, () => {
    const dir = path.join(root, name);
    const text = fs.readFileSync(path.join(dir, 'pipeline.yaml'), 'utf8');
    const actual = formatFindings(text, validate(text, { host: folderHost(dir) }).findings);
    const expectedFile = path.join(dir, 'expected.txt');
    if (updateGolden) fs.writeFileSync(expectedFile, actual + '\n');
    assert.equal(actual, fs.readFileSync(expectedFile, 'utf8').trimEnd());
  });
}
