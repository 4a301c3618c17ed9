/** The hover on an HDFS target asks the NameNode (a WebHDFS test server here) whether it exists. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import { startWebHdfs } from '../../../runner/test/webhdfsServer';

async function hoverText(doc: vscode.TextDocument, needle: string): Promise<string> {
  const at = doc.positionAt(doc.getText().indexOf(needle) + 12);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    doc.uri,
    at,
  );
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n')
    .replace(/&nbsp;/g, ' '); // MarkdownString.appendText keeps spaces as &nbsp;
}

export function hdfsSuite(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, 'HDFS targets in the editor');
  s.addTest(
    new Mocha.Test(
      'hovering an HDFS output says whether it exists, asked of the NameNode',
      async () => {
        const server = await startWebHdfs();
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
        const file = path.join(folder, 'hdfs-hover.pipeline.yaml');
        try {
          server.writeFile('/data/raw.csv', 'a,b\n1,2\n');
          const there = `webhdfs://${server.authority}/data/raw.csv`;
          const missing = `webhdfs://${server.authority}/data/none.csv`;
          fs.writeFileSync(
            file,
            `pipeline: hover\ntasks:\n  load:\n    run: echo\n    outputs:\n      - ${there}\n      - ${missing}\n`,
          );
          const doc = await vscode.workspace.openTextDocument(file);
          assert.match(await hoverText(doc, there), /HDFS: exists: 8 B, modified/);
          assert.match(await hoverText(doc, missing), /HDFS: does not exist/);
          assert.ok(server.requests.some((r) => r.op === 'GETFILESTATUS'));
          await server.stop();
          assert.match(await hoverText(doc, there), /HDFS: cannot check: .*cannot reach/i);
        } finally {
          await server.stop().catch(() => undefined);
          fs.rmSync(file, { force: true });
        }
      },
    ),
  );
}
