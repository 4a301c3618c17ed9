/** The fullest graph toolbar (the demo's daily pipeline with params: Params…, the partition picker), for the narrow-pane tests. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { graphOf, type WebviewPage } from './harness';

export const DAILY = fs
  .readFileSync(
    path.resolve(import.meta.dirname, '..', '..', 'examples', 'daily', 'daily.pipeline.yaml'),
    'utf8',
  )
  .replace('\ntasks:\n', "\nparams:\n  region: 'us'\ntasks:\n");
const KEYS = Array.from({ length: 14 }, (_, i) =>
  new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
);

/** Shows that pipeline, with partition strips, in an opened webview, laid out. */
export async function showFullToolbar(w: WebviewPage): Promise<void> {
  await w.send({ type: 'init', version: 1, graph: graphOf(DAILY), events: [], trusted: true });
  await w.send({
    type: 'partitions/status',
    strips: { keys: KEYS, tasks: { ingest: 'c'.repeat(10) + 'f...' } },
  });
  await w.page.waitForSelector('.app[data-layout="final"]');
  await w.page.locator('.partition-strip[data-strip="ingest"]').waitFor();
}
