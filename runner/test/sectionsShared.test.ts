/**
 * Two processes updating their own sections of one `.tributary/<name>` file (two `serve`s of
 * different pipelines in one folder) never lose each other's writes.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { tempDir, writeTree } from './cliHelpers';

const sections = path.resolve(import.meta.dirname, '..', 'records', 'sections.ts');
const WRITES = 150;

function writer(pipelineFile: string) {
  const code = `
    const m = await import(${JSON.stringify(sections)});
    const { writeSection } = m.writeSection ? m : m.default;
    for (let i = 1; i <= ${WRITES}; i++) writeSection(${JSON.stringify(pipelineFile)}, 'shared.json', { n: i });
  `;
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: path.resolve(import.meta.dirname, '..', '..'),
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

test('two processes writing their sections of one file at once: both last writes are there', async () => {
  const dir = writeTree(tempDir(), { 'a.pipeline.yaml': '', 'b.pipeline.yaml': '' });
  const a = writer(path.join(dir, 'a.pipeline.yaml'));
  const b = writer(path.join(dir, 'b.pipeline.yaml'));
  const [[codeA], [codeB]] = await Promise.all([once(a, 'exit'), once(b, 'exit')]);
  assert.equal(codeA, 0);
  assert.equal(codeB, 0);
  const file = path.join(dir, '.tributary', 'shared.json');
  const all = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, { n: number }>;
  assert.deepEqual(
    Object.values(all).map((s) => s.n),
    [WRITES, WRITES],
  );
  assert.equal(fs.existsSync(`${file}.lock`), false, 'no lock left behind');
});
