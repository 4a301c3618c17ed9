/**
 * Graph edits on YAML a data team writes (merge keys, flow-map tasks, scalar and flow `needs`,
 * comments in lists, CRLF, a BOM, a YAML error elsewhere): the exact text each edit gives, and
 * the edges that would close a cycle refused with the cycle spelled out.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GraphIntent } from '../edit/intents';
import { planEdit } from '../edit/plan';
import { parsePipeline } from '../parse/parse';

const TEAM = `# Daily sales pipeline — owned by data-eng
pipeline: sales

x-defaults: &defaults
  retries: 2
  timeout: 10m

tasks:
  # ---- ingest ----
  setup: {run: echo setup}
  extract:            # pulls from the API
    <<: *defaults
    run: |
      echo extract \\
        --since yesterday
    outputs: [data/raw.csv]   # raw dump

  "clean-data":
    run: echo clean
    needs: extract    # scalar needs
    outputs:
      - data/clean.csv  # cleaned

  enrich: {run: echo enrich, needs: [clean-data]}
  audit: {run: echo audit, inputs: [data/clean.csv]}

  # ---- model ----
  train:
    needs: [extract, "clean-data"]  # flow list
    run: echo train

  score:
    needs:
      # the model first
      - train
      - enrich   # enrichment
    run: echo score

  zürich_report:
    needs: [score]
    run: echo done
# trailing comment
`;

/** The text after the intent, or the refusal as `error: …`. */
function after(text: string, intent: GraphIntent): string {
  const r = planEdit(text, intent);
  if ('error' in r) return `error: ${r.error}`;
  if (parsePipeline(text).syntaxOk) assert.ok(parsePipeline(r.text).syntaxOk, 'the result parses');
  return r.text;
}

/** `text` with each [old, new] replaced once (each old must be there). */
function changed(text: string, ...swaps: [string, string][]): string {
  let out = text;
  for (const [from, to] of swaps) {
    assert.ok(out.includes(from), `the fixture holds ${JSON.stringify(from)}`);
    out = out.replace(from, to);
  }
  return out;
}

const needsOf = (text: string, task: string): string[] | undefined =>
  parsePipeline(text)
    .pipeline.taskIndex.get(task)
    ?.needs.map((n) => n.value);

// The same file with Windows line ends and with a byte order mark: the same edits, in that form.
const crlf = (t: string): string => t.replace(/\n/g, '\r\n');
const forms: [string, string, (t: string) => string][] = [
  ['LF', TEAM, (t) => t],
  ['CRLF', crlf(TEAM), crlf],
  ['BOM', `\uFEFF${TEAM}`, (t) => t],
];

for (const [form, team, eol] of forms) {
  const swap = (from: string, to: string): [string, string] => [eol(from), eol(to)];

  test(`${form}: an edge to a task with merged defaults (<<: *defaults) goes inside the task`, () => {
    assert.equal(
      after(team, { kind: 'addDependency', task: 'extract', needs: 'setup' }),
      changed(
        team,
        swap(
          '  extract:            # pulls from the API\n',
          '  extract:            # pulls from the API\n    needs: [setup]\n',
        ),
      ),
    );
    // A merged value set in the panel is overridden in the task; the anchor stays as written.
    const retries = after(team, {
      kind: 'setTaskField',
      task: 'extract',
      field: 'retries',
      value: 5,
    });
    assert.equal(retries, changed(team, swap('raw dump\n', 'raw dump\n    retries: 5\n')));
  });

  test(`${form}: flow-map tasks gain and lose edges in place`, () => {
    assert.equal(
      after(team, { kind: 'addDependency', task: 'enrich', needs: 'extract' }),
      changed(team, swap('needs: [clean-data]}', 'needs: [clean-data, extract]}')),
    );
    assert.equal(
      after(team, { kind: 'addDependency', task: 'setup', needs: 'zürich_report' }),
      changed(team, swap('{run: echo setup}', '{run: echo setup, needs: [zürich_report]}')),
    );
    assert.equal(
      after(team, { kind: 'removeDependency', task: 'enrich', needs: 'clean-data' }),
      changed(team, swap('needs: [clean-data]}', 'needs: []}')),
    );
    // Deleting a task a flow-map task needs: both places edited, nothing else.
    const removed = after(team, { kind: 'removeTask', name: 'clean-data' });
    assert.equal(
      removed,
      changed(
        team,
        swap(
          '  "clean-data":\n    run: echo clean\n    needs: extract    # scalar needs\n    outputs:\n      - data/clean.csv  # cleaned\n\n',
          '',
        ),
        swap('needs: [clean-data]}', 'needs: []}'),
        swap('needs: [extract, "clean-data"]  # flow list', 'needs: [extract]  # flow list'),
      ),
    );
  });

  test(`${form}: scalar, flow and block needs keep their style and comments`, () => {
    assert.equal(
      after(team, { kind: 'addDependency', task: 'train', needs: 'enrich' }),
      changed(
        team,
        swap(
          'needs: [extract, "clean-data"]  # flow list',
          'needs: [extract, "clean-data", enrich]  # flow list',
        ),
      ),
    );
    assert.equal(
      after(team, { kind: 'addDependency', task: 'clean-data', needs: 'setup' }),
      changed(team, swap('needs: extract    # scalar', 'needs: [extract, setup]    # scalar')),
    );
    assert.equal(
      after(team, { kind: 'removeDependency', task: 'score', needs: 'enrich' }),
      changed(team, swap('      - enrich   # enrichment\n', '')),
    );
    assert.equal(
      after(team, { kind: 'renameTask', from: 'clean-data', to: 'cleaned' }),
      changed(
        team,
        swap('"clean-data":', '"cleaned":'),
        swap('[clean-data]}', '[cleaned]}'),
        swap('"clean-data"]', '"cleaned"]'),
      ),
    );
  });

  test(`${form}: an edge that would close a cycle is refused, with the cycle spelled out`, () => {
    assert.equal(
      after(team, { kind: 'addDependency', task: 'clean-data', needs: 'train' }),
      "error: 'clean-data' cannot need 'train': that would make a cycle (train → clean-data → train)",
    );
    assert.equal(
      after(team, { kind: 'addDependency', task: 'extract', needs: 'zürich_report' }),
      "error: 'extract' cannot need 'zürich_report': that would make a cycle (zürich_report → extract → train → score → zürich_report)",
    );
    // Through a data edge: audit reads what clean-data writes.
    assert.match(
      after(team, { kind: 'addDependency', task: 'clean-data', needs: 'audit' }),
      /^error: .*cycle \(audit → clean-data → audit\)$/,
    );
    // The panel's needs field too.
    assert.match(
      after(team, {
        kind: 'setTaskField',
        task: 'clean-data',
        field: 'needs',
        value: ['extract', 'score'],
      }),
      /^error: 'clean-data' cannot need 'score': that would make a cycle \(score → clean-data → /,
    );
  });
}

test('a YAML error in another task: edges still edit, and an edit next to the error says to fix the YAML', () => {
  const broken = changed(TEAM, ['    run: echo score\n', '    run: "echo score\n']);
  assert.equal(parsePipeline(broken).syntaxOk, false);
  assert.equal(
    after(broken, { kind: 'addDependency', task: 'train', needs: 'setup' }),
    changed(broken, ['needs: [extract, "clean-data"]', 'needs: [extract, "clean-data", setup]']),
  );
  assert.deepEqual(
    needsOf(after(broken, { kind: 'removeDependency', task: 'train', needs: 'extract' }), 'train'),
    ['clean-data'],
  );
  // The new task would land inside the unclosed quote.
  assert.match(
    after(broken, { kind: 'addTask', name: 'task_1', run: 'echo "TODO"' }),
    /^error: the YAML does not parse at line \d+; fix it first/,
  );
});

test('250 tasks: an edge, a removal and a deletion in the middle touch only their lines', () => {
  const tasks = Array.from(
    { length: 250 },
    (_, i) =>
      `  # step ${i}\n  t${i}:\n    run: echo ${i}\n${i > 0 ? `    needs: [t${i - 1}]  # chain\n` : ''}`,
  );
  const big = `pipeline: big\ntasks:\n${tasks.join('\n')}`;
  assert.equal(
    after(big, { kind: 'addDependency', task: 't200', needs: 't10' }),
    changed(big, ['needs: [t199]', 'needs: [t199, t10]']),
  );
  assert.match(
    after(big, { kind: 'addDependency', task: 't10', needs: 't200' }),
    /cycle \(t200 → t10 → t11 → .* → t199 → t200\)/,
  );
  assert.equal(
    after(big, { kind: 'removeTask', name: 't120' }),
    changed(
      big,
      ['  t120:\n    run: echo 120\n    needs: [t119]  # chain\n', ''],
      ['    needs: [t120]  # chain\n', ''],
    ),
  );
});
