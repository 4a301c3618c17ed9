/** Inside a real VS Code: graph edits that arrive together, or while a keystroke is on its way, apply to the current text; one undo takes an edit back. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { HostToWebview } from '../../../core/protocol/webview';
import { folder, api, waitFor } from './common';

const TEAM = `# owned by data-eng
tasks:
  extract:            # pulls from the API
    run: echo extract
  clean:
    run: echo clean
    needs: extract    # scalar needs
  train:
    needs: [extract, clean]  # flow list
    run: echo train
  score:
    needs:
      # the model first
      - train
    run: echo score
`;

async function openTeam(name: string): Promise<vscode.TextEditor> {
  const file = path.join(folder(), name);
  fs.writeFileSync(file, TEAM);
  const doc = await vscode.workspace.openTextDocument(file);
  return vscode.window.showTextDocument(doc);
}

/** Sends one webview message to the host; what it answers is pushed to `got`. */
async function send(doc: vscode.TextDocument, m: unknown, got: HostToWebview[]): Promise<void> {
  const { graph } = await api();
  await graph.receive(doc, m, (x) => got.push(x));
}

const intent = (i: unknown) => ({ type: 'intent', version: 1, intent: i });

export function auditGraphSuite(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, 'Graph edits on the current text');
  const t = (title: string, fn: () => Promise<void>) => s.addTest(new Mocha.Test(title, fn));

  t('three graph edits sent at once all apply, each on the text the one before left', async () => {
    const { document: doc } = await openTeam('together.pipeline.yaml');
    const got: HostToWebview[] = [];
    // Edits made in quick succession: neither waits for the other's new graph.
    await Promise.all([
      send(doc, intent({ kind: 'addDependency', task: 'score', needs: 'clean' }), got),
      send(doc, intent({ kind: 'removeDependency', task: 'train', needs: 'extract' }), got),
      send(doc, intent({ kind: 'addTask', name: 'report', run: 'echo report' }), got),
    ]);
    assert.deepEqual(got, []);
    assert.equal(
      doc.getText(),
      TEAM.replace('      - train\n', '      - train\n      - clean\n').replace(
        '[extract, clean]',
        '[clean]',
      ) + '  report:\n    run: echo report\n',
    );
  });

  t(
    'a graph edit while a keystroke is on its way applies to the text with the keystroke',
    async () => {
      const editor = await openTeam('typing.pipeline.yaml');
      const doc = editor.document;
      const got: HostToWebview[] = [];
      // The person types a comment at the end; the graph's edit is planned before VS Code says so.
      const typed = editor.edit((b) => b.insert(doc.positionAt(doc.getText().length), '# wip\n'));
      const edited = send(
        doc,
        intent({ kind: 'removeDependency', task: 'train', needs: 'clean' }),
        got,
      );
      assert.equal(await typed, true);
      await edited;
      assert.deepEqual(got, []);
      assert.equal(doc.getText(), TEAM.replace('[extract, clean]', '[extract]') + '# wip\n');
    },
  );

  t('one undo takes back a graph edit that changed several places', async () => {
    const editor = await openTeam('undo.pipeline.yaml');
    const doc = editor.document;
    const got: HostToWebview[] = [];
    // Deleting clean edits its own lines, train's flow list and nothing else.
    await send(doc, intent({ kind: 'removeTask', name: 'clean' }), got);
    assert.deepEqual(got, []);
    assert.equal(
      doc.getText(),
      TEAM.replace(
        '  clean:\n    run: echo clean\n    needs: extract    # scalar needs\n',
        '',
      ).replace('[extract, clean]', '[extract]'),
    );
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => doc.getText() === TEAM, 'one undo to give the text back');
  });
}
