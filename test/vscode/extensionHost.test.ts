/** The mocha suites inside code-server's extension host; they fail (never skip) if VS Code cannot run. */
import { test } from 'node:test';
import { runHostSuite } from './hostSuite';

const name = 'the extension-host suite';

test('extension-host suite in a real VS Code (code-server)', { timeout: 600_000 }, () =>
  runHostSuite({ name, trust: true }),
);

test(
  'extension-host suite in a restricted window: diagnostics, and nothing runs',
  { timeout: 600_000 },
  () => runHostSuite({ name, trust: false, env: { TRIBUTARY_TEST_RESTRICTED: '1' } }),
);
