// Bundles every process with esbuild; `tsc -b` only type-checks.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { makeCodeCache } from './codeCache.mjs';

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

/**
 * Libraries the CLI needs only for some pipelines (mail notifications, PostgreSQL targets, the
 * file watcher of `serve`), each bundled on its own into dist/vendor/ and required from there
 * when first used: V8 parses every byte of a script it loads, and these were 40 % of cli.js
 * (~3 MB of RSS for every command; bench/RESULTS.md, issue 16). Their import sites are dynamic
 * (`await import(...)`) or in modules only `serve` loads.
 */
const VENDOR = ['nodemailer', 'pg', 'chokidar'];
const vendorFiles = {
  name: 'vendor',
  setup(build) {
    const filter = new RegExp(`^(${VENDOR.join('|')})$`);
    // Each import of a library is a small bundled module that `require`s it when first used: an
    // `import()` left in the bundle would need a dynamic-import callback, which V8's code cache
    // (runner/cli/bin.ts) does not keep.
    build.onResolve({ filter }, (a) => ({ path: a.path, namespace: 'vendor' }));
    build.onLoad({ filter: /.*/, namespace: 'vendor' }, (a) => ({
      contents: `module.exports = require(${JSON.stringify(`./vendor/${a.path}.js`)});`,
      loader: 'js',
    }));
    build.onResolve({ filter: /^\.\/vendor\// }, (a) => ({ path: a.path, external: true }));
  },
};

const targets = [
  {
    entryPoints: ['runner/cli/main.ts'],
    outfile: 'dist/cli-main.js',
    platform: 'node',
    format: 'cjs',
    // V8 keeps a script's whole source for lazy compilation: without comments and indentation it
    // is 1.1 MB instead of 1.6, and one byte a character (a comment's `…` made all of it two):
    // ~2 MB less heap for every run (bench/RESULTS.md, issue 16). Names are kept; the source map
    // still points into the sources.
    minifyWhitespace: true,
    plugins: [vendorFiles],
    // A function expression, as Node's loader would wrap it: runner/cli/bin.ts compiles the file
    // as it is (no wrapped copy of its 600 KB made at every start) and calls it.
    banner: { js: `(function (exports, require, module, __filename, __dirname) {${metaUrl}` },
    footer: { js: '})' },
  },
  // The `tributary` command: loads dist/cli-main.js with its code cache (runner/cli/bin.ts).
  {
    entryPoints: ['runner/cli/bin.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
  },
  ...VENDOR.map((name) => ({
    entryPoints: [name],
    outfile: `dist/vendor/${name}.js`,
    platform: 'node',
    format: 'cjs',
    minifyWhitespace: true,
    banner: { js: metaUrl },
  })),
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
].filter((t) => VENDOR.includes(t.entryPoints[0]) || existsSync(t.entryPoints[0]));

// The webview: a browser bundle plus the static assets its CSP allows it to load.
const webview = {
  entryPoints: { main: 'webview/src/main.tsx' },
  outdir: 'dist/webview',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  sourcemap: true,
  minify: !watch,
  logLevel: 'warning',
  loader: { '.ttf': 'file' },
  define: { 'process.env.NODE_ENV': watch ? '"development"' : '"production"' },
};

function copyWebviewAssets() {
  mkdirSync('dist/webview', { recursive: true });
  copyFileSync('node_modules/elkjs/lib/elk-worker.min.js', 'dist/webview/elk-worker.min.js');
  copyFileSync('node_modules/@vscode/codicons/dist/codicon.css', 'dist/webview/codicon.css');
  copyFileSync('node_modules/@vscode/codicons/dist/codicon.ttf', 'dist/webview/codicon.ttf');
  copyFileSync('webview/test-page.html', 'dist/webview/test-page.html');
}

// In watch mode, say when a rebuild of the bundles starts and when all of them are done:
// .vscode/tasks.json waits for these lines before launching the extension.
const all = existsSync('webview/src/main.tsx') ? [...targets, webview] : targets;
const pending = new Set(all.map((t) => t.outfile ?? t.outdir));
let errors = 0;
const announce = (id) => ({
  name: 'announce',
  setup(build) {
    build.onStart(() => {
      if (pending.size === 0) console.log('[watch] build started');
      pending.add(id);
    });
    build.onEnd((r) => {
      errors += r.errors.length;
      pending.delete(id);
      if (pending.size > 0) return;
      console.log(`[watch] build finished (${errors} errors)`);
      errors = 0;
    });
  },
});
const contexts = await Promise.all(
  all.map((t) =>
    esbuild.context({
      ...(t === webview ? t : { ...common, ...t }),
      plugins: [...(t.plugins ?? []), ...(watch ? [announce(t.outfile ?? t.outdir)] : [])],
    }),
  ),
);
if (all.includes(webview)) copyWebviewAssets();
if (watch) console.log('[watch] build started');
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  if (existsSync('dist/cli-main.js')) makeCodeCache();
}
