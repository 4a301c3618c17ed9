/** The partitions suite inside code-server's extension host, trusted and restricted; it fails (never skips) if VS Code cannot run. */
import { test } from 'node:test';
import { runHostSuite } from './hostSuite';

const suite = (trust: boolean) =>
  runHostSuite({
    bundle: 'partitions-suite',
    name: 'the partitions suite',
    trust,
    env: { TRIBUTARY_TEST_SUITE: 'partitions' },
  });

test(
  'partitions in a real VS Code (code-server): Backfill…, strips, Run partition…',
  { timeout: 600_000 },
  () => suite(true),
);
test('partitions in a restricted window: nothing runs', { timeout: 600_000 }, () => suite(false));
