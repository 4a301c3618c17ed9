/**
 * Whether a run's terminal opens by itself (`tributary.revealTerminal`): by default not while a
 * graph is visible, so the panel does not take the graph's space; a notification offers it instead.
 */
import * as vscode from 'vscode';
import { type RevealTerminal, revealTerminalSetting } from './settings';

const GRAPH_VIEW = 'tributary.graph';

/** A graph is the shown tab of some editor group. */
export function graphVisible(): boolean {
  return vscode.window.tabGroups.all.some((g) => {
    const input = g.activeTab?.input;
    return input instanceof vscode.TabInputCustom && input.viewType === GRAPH_VIEW;
  });
}

/** Pure: does the terminal open by itself, for this setting and whether a graph is in view. */
export function revealsTerminal(setting: RevealTerminal, graphShown: boolean): boolean {
  return setting === 'always' || (setting === 'whenNoGraph' && !graphShown);
}

export function revealKind(): vscode.TaskRevealKind {
  return revealsTerminal(revealTerminalSetting(), graphVisible())
    ? vscode.TaskRevealKind.Always
    : vscode.TaskRevealKind.Never;
}

/** The run's terminal (named after its task), shown without taking the focus. */
export function showRunTerminal(label: string): void {
  const t = vscode.window.terminals.find((x) => x.name === label || x.name.endsWith(label));
  if (t) t.show(true);
  else void vscode.commands.executeCommand('workbench.action.terminal.focus');
}

/** Says the run started, with a "Show Output" button, when its terminal stayed hidden. */
export function offerOutput(label: string): void {
  void vscode.window
    .showInformationMessage(`Tributary: started ${label}`, 'Show Output')
    .then((choice) => choice && showRunTerminal(label));
}
