/** In a restricted (untrusted) window: diagnostics still work, nothing runs. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';
import type { TributaryApi } from '../../../extension/main';

export function restrictedSuite(root: Mocha.Suite): void {
  const s = Mocha.Suite.create(root, 'Tributary in a restricted window');
  s.addTest(
    new Mocha.Test('the window is untrusted, diagnostics work, and a run is refused', async () => {
      assert.equal(vscode.workspace.isTrusted, false);
      const ext = vscode.extensions.getExtension<TributaryApi>('tributary.tributary');
      assert.ok(ext);
      const { runs } = ext.isActive ? ext.exports : await ext.activate();
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
      const file = path.join(folder, 'weather.pipeline.yaml');
      const doc = await vscode.workspace.openTextDocument(file);
      await vscode.window.showTextDocument(doc);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(
        doc.uri,
        doc.positionAt(doc.getText().length),
        '  broken:\n    needs: [nowhere]\n    run: echo\n',
      );
      await vscode.workspace.applyEdit(edit);
      const start = Date.now();
      while (
        !vscode.languages
          .getDiagnostics(doc.uri)
          .some((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'unknown-task')
      ) {
        if (Date.now() - start > 30_000) throw new Error('no diagnostics in a restricted window');
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(await vscode.commands.executeCommand('tributary.runPipeline', doc.uri), false);
      assert.equal(await vscode.commands.executeCommand('tributary.serve'), undefined);
      assert.equal(
        await vscode.commands.executeCommand('tributary.fireTrigger', doc.uri, { file: 'x.csv' }),
        false,
      );
      assert.equal(runs.anyActive().length, 0);
      assert.ok(!fs.existsSync(path.join(folder, '.tributary', 'runs')), 'nothing ran');
    }),
  );
  s.addTest(
    new Mocha.Test('a plan is refused and connects to nothing the pipeline names', async () => {
      // A "database" that counts connections: a plan would connect to check the target.
      let connections = 0;
      const server = net.createServer((c) => {
        connections++;
        c.destroy();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as net.AddressInfo).port;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
      const file = path.join(folder, 'trust-probe.pipeline.yaml');
      fs.writeFileSync(
        file,
        `pipeline: probe\ntasks:\n  load:\n    run: echo\n    outputs:\n      - postgres: {table: t, dsn: "postgresql://u@127.0.0.1:${port}/db"}\n`,
      );
      try {
        const uri = vscode.Uri.file(file);
        assert.equal(await vscode.commands.executeCommand('tributary.plan', uri), undefined);
        await new Promise((r) => setTimeout(r, 1000));
        assert.equal(connections, 0, 'a restricted window connected to a database');
        assert.ok(!fs.existsSync(path.join(folder, '.tributary', 'runs')), 'nothing ran');
      } finally {
        fs.rmSync(file, { force: true });
        server.close();
      }
    }),
  );
  s.addTest(
    new Mocha.Test('hovering an HDFS target connects to nothing', async () => {
      let connections = 0;
      const server = net.createServer((c) => {
        connections++;
        c.destroy();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const port = (server.address() as net.AddressInfo).port;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
      const file = path.join(folder, 'hdfs-probe.pipeline.yaml');
      const target = `webhdfs://127.0.0.1:${port}/data/raw.csv`;
      fs.writeFileSync(
        file,
        `pipeline: probe\ntasks:\n  load:\n    run: echo\n    outputs: ["${target}"]\n`,
      );
      try {
        const doc = await vscode.workspace.openTextDocument(file);
        const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
          'vscode.executeHoverProvider',
          doc.uri,
          doc.positionAt(doc.getText().indexOf(target) + 12),
        );
        const text = hovers
          .flatMap((h) => h.contents)
          .map((c) => (typeof c === 'string' ? c : c.value))
          .join('\n');
        assert.match(text, /HDFS: not checked in a restricted window/);
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(connections, 0, 'a restricted window connected to the NameNode');
      } finally {
        fs.rmSync(file, { force: true });
        server.close();
      }
    }),
  );
}
