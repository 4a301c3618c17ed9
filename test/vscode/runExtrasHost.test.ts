/** The run-extras suite (full log, run with params, terminal vs graph) inside code-server's extension host; it fails (never skips) if VS Code cannot run. */
import { test } from 'node:test';
import { runHostSuite } from './hostSuite';

test(
  'in a real VS Code (code-server): Show Full Log per attempt, Run Pipeline with Params…, no terminal over the graph',
  { timeout: 600_000 },
  () =>
    runHostSuite({
      bundle: 'run-extras-suite',
      name: 'the run-extras suite',
      trust: true,
      env: { TRIBUTARY_TEST_SUITE: 'runExtras' },
    }),
);
