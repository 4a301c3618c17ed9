// The layers of Tributary, as rules (`npm run lint:deps`; part of `npm run lint` and `npm test`).
//
//   core/  <-  runner/ (engine, executors, records, targets, notify, serve)  <-  runner/cli/
//   core/ + runner/api.ts  <-  language-server/, extension/
//   core/  <-  webview/
//
// Arrows point at what a layer may import. Each rule below forbids one wrong arrow; its
// comment is the message a developer sees when they add one.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import circles: give the shared type or function its own module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment: 'core/ imports only core/ (and pure packages): no runner, editor, Node or DOM code.',
      from: { path: '^core/', pathNot: '^core/test/' },
      to: { pathNot: ['^core/', '^node_modules/(yaml|croner|picomatch)/'] },
    },
    {
      name: 'cli-is-a-leaf',
      severity: 'error',
      comment: 'Nothing imports the CLI: move what you need out of runner/cli/ into runner/.',
      from: { pathNot: ['^runner/cli/', '^runner/test/', '^test/', '^bench/', '^scripts/'] },
      to: { path: '^runner/cli/' },
    },
    {
      name: 'runner-below-editors',
      severity: 'error',
      comment:
        'The runner knows nothing of the editor: no extension/, language-server/ or webview/.',
      from: { path: '^runner/' },
      to: { path: '^(extension|language-server|webview)/' },
    },
    {
      name: 'editors-use-runner-api',
      severity: 'error',
      comment:
        'The language server and the extension use the runner only through runner/api.ts (export what you need there).',
      from: { path: '^(extension|language-server)/', pathNot: '/test/' },
      to: { path: '^runner/', pathNot: '^runner/api\\.ts$' },
    },
    {
      name: 'webview-is-a-browser',
      severity: 'error',
      comment: 'The webview imports core/ and its own files only (it runs in a browser sandbox).',
      from: { path: '^webview/src/' },
      to: { path: '^(runner|extension|language-server)/' },
    },
    {
      name: 'processes-stay-apart',
      severity: 'error',
      comment:
        'The extension and the language server are separate processes: talk through core/protocol or LSP.',
      from: { path: '^(extension|language-server)/' },
      to: { path: '^(extension|language-server)/', pathNot: '^$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|out|\\.cache)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
