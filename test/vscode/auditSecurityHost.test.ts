/** The security-audit suite inside code-server's extension host, trusted and restricted; it fails (never skips) if VS Code cannot run. */
import { test } from 'node:test';
import { runHostSuite } from './hostSuite';

const suite = (trust: boolean) =>
  runHostSuite({
    bundle: 'audit-security-suite',
    name: `the security-audit suite (${trust ? 'trusted' : 'restricted'})`,
    trust,
    env: { TRIBUTARY_TEST_SUITE: 'auditSecurity' },
  });

test(
  'in a real VS Code (code-server): hostile file and task names never reach a terminal name, and a refused task starts nothing',
  { timeout: 600_000 },
  () => suite(true),
);
test(
  'in a restricted window: a Tributary task started through VS Code tasks runs nothing',
  { timeout: 600_000 },
  () => suite(false),
);
