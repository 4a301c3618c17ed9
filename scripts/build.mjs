// Bundles every process with esbuild; `tsc -b` only type-checks.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const watch = process.argv.includes('--watch');
// Bundled ESM dependencies (fdir) read import.meta.url, which a CJS bundle must provide.
const metaUrl = "const __importMetaUrl = require('url').pathToFileURL(__filename).href;";
const common = {
  bundle: true,
  sourcemap: true,
  logLevel: 'warning',
  target: 'node20',
  legalComments: 'none',
  define: { 'import.meta.url': '__importMetaUrl' },
};

const targets = [
  {
    entryPoints: ['runner/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node\n' + metaUrl },
  },
  {
    entryPoints: ['language-server/main.ts'],
    outfile: 'dist/server.js',
    platform: 'node',
    format: 'cjs',
    banner: { js: metaUrl },
  },
  {
    entryPoints: ['extension/main.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
    banner: { js: metaUrl },
  },
].filter((t) => existsSync(t.entryPoints[0]));

const contexts = await Promise.all(targets.map((t) => esbuild.context({ ...common, ...t })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
