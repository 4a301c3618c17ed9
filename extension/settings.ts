/** The user's settings for runs (tributary.workers, tributary.shell, tributary.env). */
import * as vscode from 'vscode';

export function settings(): { workers?: number; shell?: string; env?: Record<string, string> } {
  const c = vscode.workspace.getConfiguration('tributary');
  const workers = c.get<number>('workers');
  const shell = c.get<string>('shell');
  const env = c.get<Record<string, string>>('env');
  return {
    ...(workers ? { workers } : {}),
    ...(shell ? { shell } : {}),
    ...(env && Object.keys(env).length ? { env } : {}),
  };
}
