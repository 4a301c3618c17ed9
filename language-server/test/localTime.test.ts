/** Hovers show instants in the user's zone, named (the server runs with TZ set), never raw UTC ISO strings. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { LspClient, pos } from './lspClient';

const CLI = path.resolve(import.meta.dirname, '..', '..', 'dist', 'cli.js');
// A zone with a half-hour offset: no chance of passing by printing UTC or the machine's zone.
const ZONE = 'America/St_Johns';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-lsp-tz-'));
let client: LspClient;
before(async () => {
  client = new LspClient({ TZ: ZONE });
  await client.start();
});
after(async () => {
  await client.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const LOCAL = /(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d) \(America\/St_Johns, UTC-0[23]:30\)/;

async function hoverAt(uri: string, p: { line: number; character: number }): Promise<string> {
  const h = await client.request<{ contents: { value: string } } | null>('textDocument/hover', {
    textDocument: { uri },
    position: p,
  });
  return h?.contents.value ?? '';
}

test('a task hover: the last run finished at a local time with the zone named', async () => {
  const text = 'pipeline: tz\ntasks:\n  hello:\n    run: echo hi\n';
  const file = path.join(dir, 'tz.pipeline.yaml');
  fs.writeFileSync(file, text);
  const before = Date.now();
  // The real runner writes the record the hover reads (.tributary/state.json).
  execFileSync(process.execPath, [CLI, 'run', file], { cwd: dir, stdio: 'ignore' });
  const { uri } = await client.open(file, text);
  const shown = await hoverAt(uri, pos(text, '  hello:', 3));
  assert.match(shown, /last run: \*\*success\*\*/);
  assert.doesNotMatch(shown, /\d{4}-\d\d-\d\dT\d\d:\d\d/); // no ISO string
  const m = LOCAL.exec(shown);
  assert.ok(m, shown);
  // The wall time shown is the run's finish in St John's (UTC-3:30 or -2:30), to the minute.
  const [, y, mo, d, h, mi] = m.map(Number) as number[];
  const asUtc = Date.UTC(y!, mo! - 1, d!, h!, mi!);
  const offset = /UTC-03:30/.test(m[0]) ? 210 : 150;
  const instant = asUtc + offset * 60_000;
  assert.ok(instant >= before - 60_000 && instant <= Date.now() + 60_000, shown);
});

test('a cron hover: the next fires at local midnight, zone named', async () => {
  const text = 'pipeline: cron\nschedule: "0 0 * * *"\ntasks:\n  a:\n    run: echo\n';
  const { uri } = await client.open(path.join(dir, 'cron.pipeline.yaml'), text);
  const shown = await hoverAt(uri, pos(text, '0 0 * * *', 2));
  const fires = shown.split('\n').filter((l) => l.startsWith('- '));
  assert.equal(fires.length, 3, shown);
  for (const f of fires)
    assert.match(f, /^- \d{4}-\d\d-\d\d 00:00 \(America\/St_Johns, UTC-0[23]:30\)$/);
});

test('a partition hover: the period in the pipeline zone as commands get it, and in local time', async () => {
  const text = `pipeline: days
partitions:
  daily:
    start: "2024-01-01"
    end: "2024-01-31"
    timezone: UTC
tasks:
  a:
    run: echo \${partition} \${partition.start}
`;
  const { uri } = await client.open(path.join(dir, 'days.pipeline.yaml'), text);
  const key = await hoverAt(uri, pos(text, '${partition}', 3));
  assert.match(key, /period `2024-01-31T00:00:00\+00:00` → `2024-02-01T00:00:00\+00:00`/);
  assert.match(
    key,
    /your local time: 2024-01-30 20:30 \(America\/St_Johns, UTC-03:30\) → 2024-01-31 20:30 \(America\/St_Johns, UTC-03:30\)/,
  );
  assert.match(
    await hoverAt(uri, pos(text, '${partition.start}', 3)),
    /your local time: 2024-01-30 20:30 \(America\/St_Johns, UTC-03:30\)/,
  );
});
