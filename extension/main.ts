/** Extension entry: a wiring table; every disposable is owned by the context. */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { startClient } from './client';
import { TaskCodeLens } from './codeLens';
import { registerCommands } from './commands';
import { GraphEditorProvider } from './graphEditor';
import { registerHdfsHover } from './hdfsHover';
import { LiveRuns } from './liveRuns';
import { registerOperations } from './operations';
import { RunSecrets } from './secrets';
import { useSecretEnv } from './settings';
import { RunRegistry } from './runs';
import { TASK_TYPE, TributaryTaskProvider } from './runTask';
import { statusBar } from './statusBar';
import { registerBackfillCommand } from './partitions';
import { PipelineTree } from './treeView';

let client: LanguageClient | undefined;

export interface TributaryApi {
  runs: RunRegistry;
  graph: GraphEditorProvider;
  tree: PipelineTree;
  live: LiveRuns;
}

export function activate(context: vscode.ExtensionContext): TributaryApi {
  const output = vscode.window.createOutputChannel('Tributary', { log: true });
  const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
  const runs = new RunRegistry(cli);
  const graph = new GraphEditorProvider(context, runs, cli, output);
  const tree = new PipelineTree(runs);
  client = startClient(context, output);
  registerCommands(context, runs, cli, (file, steps) => graph.showPlan(file, steps));
  const secrets = new RunSecrets(context.secrets);
  useSecretEnv(() => secrets.env());
  registerOperations(context, runs, cli, secrets);
  // Runs started outside this window (a terminal, cron, serve) shown live like its own.
  const live = new LiveRuns(runs);
  context.subscriptions.push(
    registerHdfsHover(() => secrets.env()),
    secrets,
    output,
    runs,
    live,
    vscode.window.registerCustomEditorProvider(GraphEditorProvider.viewType, graph, {
      webviewOptions: { retainContextWhenHidden: true },
    }),
    vscode.languages.registerCodeLensProvider(
      { pattern: '**/*.pipeline.{yaml,yml}' },
      new TaskCodeLens(runs),
    ),
    vscode.tasks.registerTaskProvider(TASK_TYPE, new TributaryTaskProvider(runs)),
    vscode.window.registerTreeDataProvider('tributary.pipelines', tree),
    vscode.workspace.onDidSaveTextDocument(() => tree.refresh()),
    statusBar(runs),
    registerBackfillCommand(runs),
  );
  void openOnStart();
  return { runs, graph, tree, live };
}

/** `npm start` asks (through the environment) to open the demo pipeline with its graph beside it. */
async function openOnStart(): Promise<void> {
  const file = process.env.TRIBUTARY_OPEN_ON_START;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!file || !folder) return;
  const uri = vscode.Uri.joinPath(folder.uri, file);
  await vscode.window.showTextDocument(uri);
  await vscode.commands.executeCommand('tributary.openGraphToSide', uri);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
