/** "Tributary 3/7" in the status bar while a run is going; click to stop. */
import * as vscode from 'vscode';
import { countRun } from '../core/run/state';
import type { RunRegistry } from './runs';

export function statusBar(runs: RunRegistry): vscode.Disposable {
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  item.command = 'tributary.stopRun';
  const sub = runs.onUpdate((u) => {
    const c = countRun(u.state);
    if (u.event.event === 'run_finished') {
      item.text = `$(${u.event.status === 'success' ? 'pass' : 'error'}) Tributary ${c.done}/${c.total}`;
      item.tooltip = `Last run ${u.event.status}`;
      setTimeout(() => item.hide(), 5000);
      return;
    }
    item.text = `$(sync~spin) Tributary ${c.done}/${c.total}`;
    item.tooltip = `${c.running} running · click to stop`;
    item.show();
  });
  return vscode.Disposable.from(item, sub);
}
