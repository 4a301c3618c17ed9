/**
 * The layer rules in .dependency-cruiser.cjs: the real tree passes them, and each wrong arrow
 * (an upward import, the CLI imported, a circle, an editor reaching into the engine) fails
 * `npm run lint:deps` with the rule's name. Small trees in a temporary folder stand in for a
 * developer's next change.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';

const root = path.resolve(import.meta.dirname, '..');
const depcruise = path.join(root, 'node_modules/.bin/depcruise');
const config = path.join(root, '.dependency-cruiser.cjs');

function cruise(cwd: string, folders: string[]): { status: number | null; out: string } {
  const r = spawnSync(depcruise, [...folders, '--config', config], { cwd, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** A tree of `.ts` files (path → text) with the tsconfig the rules expect. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-layers-'));
  const all = { 'tsconfig.json': '{ "compilerOptions": { "strict": true } }', ...files };
  for (const [name, text] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test('the real tree keeps its layers', () => {
  const r = cruise(root, ['core', 'runner', 'language-server', 'extension', 'webview/src']);
  assert.equal(r.status, 0, r.out);
});

const cases: { rule: string; files: Record<string, string> }[] = [
  {
    rule: 'core-is-pure',
    files: {
      'core/model.ts': "import { run } from '../runner/engine';\nexport const m = run;\n",
      'runner/engine.ts': 'export const run = 1;\n',
    },
  },
  {
    rule: 'cli-is-a-leaf',
    files: {
      'runner/engine.ts': "import { fail } from './cli/userError';\nexport const run = fail;\n",
      'runner/cli/userError.ts': 'export const fail = 1;\n',
    },
  },
  {
    rule: 'no-circular',
    files: {
      'runner/engine.ts': "import { notify } from './notify';\nexport const run = () => notify;\n",
      'runner/notify.ts': "import { run } from './engine';\nexport const notify = () => run;\n",
    },
  },
  {
    rule: 'editors-use-runner-api',
    files: {
      'extension/main.ts': "import { run } from '../runner/engine';\nexport const go = run;\n",
      'runner/engine.ts': 'export const run = 1;\n',
    },
  },
  {
    rule: 'webview-is-a-browser',
    files: {
      'webview/src/App.ts': "import { run } from '../../runner/engine';\nexport const a = run;\n",
      'runner/engine.ts': 'export const run = 1;\n',
    },
  },
];

for (const c of cases) {
  test(`lint:deps refuses a change that breaks ${c.rule}`, () => {
    const dir = tree(c.files);
    const folders = [...new Set(Object.keys(c.files).map((f) => f.split('/')[0]!))];
    const r = cruise(dir, folders);
    assert.notEqual(r.status, 0, r.out);
    assert.match(r.out, new RegExp(`error ${c.rule}:`));
  });
}
