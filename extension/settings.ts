/** The user's settings for runs (tributary.workers, .shell, .env, .revealTerminal) plus secrets. */
import * as vscode from 'vscode';

let secretEnv: () => Record<string, string> = () => ({});

/** Secrets (SecretStorage) and SMTP settings reach every run through its environment. */
export function useSecretEnv(source: () => Record<string, string>): void {
  secretEnv = source;
}

export function settings(): { workers?: number; shell?: string; env?: Record<string, string> } {
  const c = vscode.workspace.getConfiguration('tributary');
  const workers = c.get<number>('workers');
  const shell = c.get<string>('shell');
  const env = { ...c.get<Record<string, string>>('env'), ...secretEnv() };
  return {
    ...(workers ? { workers } : {}),
    ...(shell ? { shell } : {}),
    ...(Object.keys(env).length ? { env } : {}),
  };
}

export type RevealTerminal = 'always' | 'whenNoGraph' | 'never';

/** `tributary.revealTerminal`: when a run's terminal panel opens by itself. */
export function revealTerminalSetting(): RevealTerminal {
  const v = vscode.workspace.getConfiguration('tributary').get<string>('revealTerminal');
  return v === 'always' || v === 'never' ? v : 'whenNoGraph';
}
