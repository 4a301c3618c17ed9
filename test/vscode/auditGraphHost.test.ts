/** Graph edits on the current text (together, while typing, undo) inside code-server's extension host; it fails (never skips) if VS Code cannot run. */
import { test } from 'node:test';
import { runHostSuite } from './hostSuite';

test(
  'in a real VS Code (code-server): graph edits sent together or while typing apply to the current text, and one undo takes one back',
  { timeout: 600_000 },
  () =>
    runHostSuite({
      bundle: 'audit-graph-suite',
      name: 'the graph-edit suite',
      trust: true,
      env: { TRIBUTARY_TEST_SUITE: 'auditGraph' },
    }),
);
