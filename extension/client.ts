/** The language client: starts dist/server.js over IPC; its log goes to an output channel. */
import { SERVER_NODE_FLAGS } from '../core/protocol/languageServer';
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';

export function startClient(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
): LanguageClient {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server.js').fsPath;
  const server: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: SERVER_NODE_FLAGS } },
    debug: {
      module,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6011'] },
    },
  };
  const client: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', pattern: '**/*.pipeline.{yaml,yml}' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    outputChannel: output,
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*') },
  };
  const lc = new LanguageClient('tributary', 'Tributary Language Server', server, client);
  void lc.start();
  return lc;
}
