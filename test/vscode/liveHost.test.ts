/** The live-runs suite (runs started outside VS Code) inside code-server's extension host; it fails (never skips) if VS Code cannot run. */
import { test } from 'node:test';
import { runHostSuite } from './hostSuite';

test(
  'runs started outside VS Code are shown live in a real VS Code (code-server)',
  { timeout: 600_000 },
  () =>
    runHostSuite({
      bundle: 'live-suite',
      name: 'the live-runs suite',
      trust: true,
      env: { TRIBUTARY_TEST_SUITE: 'live' },
    }),
);
