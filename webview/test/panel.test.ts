/**
 * The properties panel in a real Chromium with the real bundle: a refused value rolls back at
 * once, no draft reaches another task, object targets are read-only and never sent back.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphOf, openWebview, sharedBrowser } from './harness';

const PIPELINE = `pipeline: panel
tasks:
  extract:
    run: python extract.py
    outputs:
      - data/raw.csv
      # more outputs will come here

  score:
    run: python score.py
    needs: [extract]
    timeout: 5m
    env:
      MODE: full
    outputs:
      - data/scores.csv
      - postgres:
          table: public.predictions
          dsn: \${env.DATABASE_URL}
          where: "day = '2024-01-01'"   # one day
`;

const shared = sharedBrowser();

async function ready() {
  const w = await openWebview(shared.browser, shared.url);
  await w.send({ type: 'init', version: 1, graph: graphOf(PIPELINE), events: [], trusted: true });
  await w.page.waitForSelector('.app[data-layout="final"]');
  const intents = async () =>
    (await w.posted()).filter((m) => m.type === 'intent').map((m) => m.intent);
  /** Selects a task by clicking its node, and waits for its panel. */
  const select = async (task: string) => {
    await w.page.locator(`.react-flow__node[data-id="${task}"]`).click();
    await w.page.locator(`aside[aria-label="Properties of ${task}"]`).waitFor();
  };
  /** The value a field shows (the toolkit's input lives in a shadow root; locators pierce it). */
  const value = (id: string) =>
    w.page.locator(`#${id}`).evaluate((e) => (e as HTMLInputElement).value);
  const type = async (id: string, text: string) => {
    const input = w.page.locator(`#${id} input, #${id} textarea`).first();
    await input.fill(text);
  };
  return { ...w, intents, select, value, type };
}

test('a value the host refused is rolled back in the panel at once', async () => {
  const w = await ready();
  await w.select('extract');
  await w.type('prop-retries', '2');
  await w.page.locator('#prop-retries input').press('Enter');
  assert.deepEqual(await w.intents(), [
    { kind: 'setTaskField', task: 'extract', field: 'retries', value: 2 },
  ]);
  assert.equal(await w.value('prop-retries'), '2');
  await w.send({
    type: 'edit/rejected',
    reason: 'the edit did not come out as intended; edit the YAML by hand',
  });
  await w.page.waitForFunction(
    () => (document.querySelector('#prop-retries') as HTMLInputElement | null)?.value === '',
  );
  // Pressing Enter again sends nothing: the field holds the document's value.
  await w.page.locator('#prop-retries input').press('Enter');
  assert.equal((await w.intents()).length, 1);
  await w.page.close();
});

test('no panel value is committed to another task when the selection changes', async () => {
  const w = await ready();
  // The case: `retries: 2` refused on one task, then another task selected.
  await w.select('extract');
  await w.type('prop-retries', '2');
  await w.page.locator('#prop-retries input').press('Enter');
  await w.send({ type: 'edit/rejected', reason: 'refused' });
  await w.select('score');
  assert.equal(await w.value('prop-retries'), '');
  await w.page.locator('#prop-retries input').focus();
  await w.page.locator('#prop-retries input').press('Enter');
  await w.page.locator('#prop-retries input').blur();
  // A draft typed but not committed, then the selection moved by the text editor.
  await w.type('prop-timeout', '9m');
  await w.send({ type: 'selection/set', task: 'extract' });
  await w.page.locator('aside[aria-label="Properties of extract"]').waitFor();
  assert.equal(await w.value('prop-timeout'), '');
  await w.page.locator('#prop-timeout input').focus();
  await w.page.locator('#prop-timeout input').press('Enter');
  // Only the first, refused intent was ever sent.
  assert.deepEqual(await w.intents(), [
    { kind: 'setTaskField', task: 'extract', field: 'retries', value: 2 },
  ]);
  await w.page.close();
});

test('a value that is not a number or a duration is refused in the panel, not sent', async () => {
  const w = await ready();
  await w.select('score');
  // A duration typed as 5m is shown as 5m.
  assert.equal(await w.value('prop-timeout'), '5m');
  await w.type('prop-retries', 'two');
  await w.page.locator('#prop-retries input').press('Enter');
  await w.page.locator('#prop-retries-error').waitFor();
  assert.equal(await w.value('prop-retries'), '');
  await w.type('prop-timeout', 'soon');
  await w.page.locator('#prop-timeout input').press('Enter');
  await w.page.locator('#prop-timeout-error').waitFor();
  assert.equal(await w.value('prop-timeout'), '5m');
  assert.deepEqual(await w.intents(), []);
  await w.page.close();
});

test('object targets are shown read-only and an edit of the file items never sends them', async () => {
  const w = await ready();
  await w.select('score');
  const shown = await w.page.locator('.object-targets[data-list="outputs"] pre').innerText();
  assert.match(shown, /table: public\.predictions/);
  assert.match(shown, /dsn: \$\{env\.DATABASE_URL\}/);
  assert.match(shown, /where: day = '2024-01-01'/);
  assert.equal(await w.page.locator('.object-targets input, .object-targets textarea').count(), 0);
  assert.equal(await w.value('prop-outputs'), 'data/scores.csv');
  await w.type('prop-outputs', 'data/scores.csv\ndata/extra.csv');
  await w.page.locator('#prop-outputs textarea').blur();
  assert.deepEqual(await w.intents(), [
    {
      kind: 'setTaskField',
      task: 'score',
      field: 'outputs',
      value: ['data/scores.csv', 'data/extra.csv'],
    },
  ]);
  await w.page.close();
});

test('the description is edited in the panel; emptying it removes the key', async () => {
  const w = await ready();
  await w.select('extract');
  await w.type('prop-description', 'Reads the raw rows');
  await w.page.locator('#prop-description input').press('Enter');
  await w.send({
    type: 'graph/update',
    version: 2,
    graph: graphOf(
      PIPELINE.replace('  extract:\n', '  extract:\n    description: Reads the raw rows\n'),
    ),
  });
  await w.page.waitForFunction(
    () =>
      (document.querySelector('#prop-description') as HTMLInputElement | null)?.value ===
      'Reads the raw rows',
  );
  await w.type('prop-description', '');
  await w.page.locator('#prop-description input').press('Enter');
  assert.deepEqual(await w.intents(), [
    { kind: 'setTaskField', task: 'extract', field: 'description', value: 'Reads the raw rows' },
    { kind: 'setTaskField', task: 'extract', field: 'description', value: null },
  ]);
  await w.page.close();
});

test('needs are edited in the panel as one intent; a refused name rolls back', async () => {
  const w = await ready();
  await w.select('score');
  assert.equal(await w.value('prop-needs'), 'extract');
  await w.type('prop-needs', 'extract\nghost');
  await w.page.locator('#prop-needs textarea').blur();
  assert.deepEqual(await w.intents(), [
    { kind: 'setTaskField', task: 'score', field: 'needs', value: ['extract', 'ghost'] },
  ]);
  await w.send({ type: 'edit/rejected', reason: "no task 'ghost'" });
  await w.page.waitForFunction(
    () => (document.querySelector('#prop-needs') as HTMLInputElement | null)?.value === 'extract',
  );
  await w.page.close();
});

test('env is edited as KEY=value lines; a bad line is refused in the panel', async () => {
  const w = await ready();
  await w.select('score');
  assert.equal(await w.value('prop-env'), 'MODE=full');
  await w.type('prop-env', 'MODE full');
  await w.page.locator('#prop-env textarea').blur();
  await w.page.locator('#prop-env-error').waitFor();
  assert.equal(await w.value('prop-env'), 'MODE=full');
  await w.type('prop-env', 'MODE=fast\nDAY=2024-01-01, a Monday');
  await w.page.locator('#prop-env textarea').blur();
  assert.deepEqual(await w.intents(), [
    {
      kind: 'setTaskField',
      task: 'score',
      field: 'env',
      value: ['MODE=fast', 'DAY=2024-01-01, a Monday'],
    },
  ]);
  await w.page.close();
});
