/** Operations from the editor: `tributary serve` in a terminal, firing a trigger by hand, secrets. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { globSync } from 'tinyglobby';
import { ensureTrusted, startRun } from './commands';
import { pipelineUri, validationOf } from './pipelines';
import type { RunRegistry } from './runs';
import type { RunSecrets } from './secrets';
import { settings } from './settings';

function startServe(cli: string): vscode.Terminal | undefined {
  if (!ensureTrusted()) return undefined;
  const folders = vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath) ?? [];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('Open a folder with pipelines first.');
    return undefined;
  }
  const s = settings();
  const terminal = vscode.window.createTerminal({
    name: 'Tributary serve',
    shellPath: process.execPath,
    shellArgs: [cli, 'serve', ...folders],
    cwd: folders[0],
    env: {
      ...s.env,
      ELECTRON_RUN_AS_NODE: '1',
      ...(s.shell ? { TRIBUTARY_SHELL: s.shell } : {}),
    },
    iconPath: new vscode.ThemeIcon('watch'),
    // Not restored after a reload: its environment may hold the stored secrets.
    isTransient: true,
  });
  terminal.show();
  return terminal;
}

interface TriggerPick extends vscode.QuickPickItem {
  glob?: string;
}

/** Runs the pipeline as its schedule would, or as a chosen file matching an `on: files` glob would. */
async function fireTrigger(
  runs: RunRegistry,
  uri: vscode.Uri,
  given?: { file?: string },
): Promise<boolean> {
  // From a test, a CodeLens or a keybinding: the trigger file is given, no questions asked.
  if (given?.file) return startRun(runs, uri, { triggerFile: given.file });
  const doc = await vscode.workspace.openTextDocument(uri);
  const p = validationOf(doc).pipeline;
  const picks: TriggerPick[] = [
    ...p.schedule.map((s) => ({ label: `$(clock) schedule ${s.value}`, description: 'run now' })),
    ...p.triggers.map((t) => ({
      label: `$(file) files ${t.files}`,
      description: 'pick a file',
      glob: t.files,
    })),
  ];
  if (picks.length === 0) {
    void vscode.window.showInformationMessage(
      `${path.basename(uri.fsPath)} has no schedule and no file trigger.`,
    );
    return false;
  }
  const pick =
    picks.length === 1
      ? picks[0]
      : await vscode.window.showQuickPick(picks, { placeHolder: 'Which trigger?' });
  if (!pick) return false;
  if (!pick.glob) return startRun(runs, uri);
  const dir = path.dirname(uri.fsPath);
  const files = globSync(pick.glob, { cwd: dir }).sort();
  const file = files.length
    ? await vscode.window.showQuickPick(files, {
        placeHolder: `The file that arrived (\${trigger.file})`,
      })
    : await vscode.window.showInputBox({
        prompt: `No file matches ${pick.glob} yet: the path to use as \${trigger.file}`,
      });
  return file ? startRun(runs, uri, { triggerFile: file }) : false;
}

export function registerOperations(
  context: vscode.ExtensionContext,
  runs: RunRegistry,
  cli: string,
  secrets: RunSecrets,
): void {
  const table: Record<string, (...args: unknown[]) => unknown> = {
    'tributary.serve': () => startServe(cli),
    'tributary.fireTrigger': async (arg?: unknown, given?: unknown) => {
      if (!ensureTrusted()) return false;
      const uri = await pipelineUri(arg);
      const file =
        given && typeof given === 'object' && typeof (given as { file?: unknown }).file === 'string'
          ? { file: (given as { file: string }).file }
          : undefined;
      return uri ? fireTrigger(runs, uri, file) : false;
    },
    'tributary.setSmtpPassword': () =>
      secrets.ask('tributary.smtpPassword', 'SMTP password for notify.email (empty to remove)'),
    'tributary.setDatabaseUrl': () =>
      secrets.ask(
        'tributary.databaseUrl',
        'PostgreSQL URL for targets without a dsn, e.g. postgresql://user:password@host/db (empty to remove)',
      ),
  };
  for (const [id, fn] of Object.entries(table))
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
}
