/**
 * Secrets for runs (SMTP password, database URL) live in VS Code's SecretStorage, never in the YAML
 * or settings; they reach the runner as environment variables. Kept in memory so that starting
 * a run stays synchronous.
 */
import * as vscode from 'vscode';

const KEYS = {
  'tributary.smtpPassword': 'TRIBUTARY_SMTP_PASSWORD',
  'tributary.databaseUrl': 'TRIBUTARY_DATABASE_URL',
} as const;

type SecretKey = keyof typeof KEYS;

export class RunSecrets implements vscode.Disposable {
  private values: Record<string, string> = {};
  private readonly sub: vscode.Disposable;

  constructor(private readonly storage: vscode.SecretStorage) {
    this.sub = storage.onDidChange(() => void this.load());
    void this.load();
  }

  async load(): Promise<void> {
    const next: Record<string, string> = {};
    for (const [key, variable] of Object.entries(KEYS)) {
      const v = await this.storage.get(key);
      if (v) next[variable] = v;
    }
    this.values = next;
  }

  /** The environment a run gets from the Secret Storage and the SMTP and HDFS settings. */
  env(): Record<string, string> {
    const c = vscode.workspace.getConfiguration('tributary');
    const url = c.get<string>('smtp.url');
    const from = c.get<string>('smtp.from');
    const hdfsUrl = c.get<string>('hdfs.url');
    const hdfsUser = c.get<string>('hdfs.user');
    return {
      ...(url ? { TRIBUTARY_SMTP_URL: url } : {}),
      ...(from ? { TRIBUTARY_SMTP_FROM: from } : {}),
      ...(hdfsUrl ? { TRIBUTARY_WEBHDFS_URL: hdfsUrl } : {}),
      ...(hdfsUser ? { TRIBUTARY_HDFS_USER: hdfsUser } : {}),
      ...this.values,
    };
  }

  async ask(key: SecretKey, prompt: string): Promise<boolean> {
    const value = await vscode.window.showInputBox({
      prompt,
      password: true,
      ignoreFocusOut: true,
    });
    if (value === undefined) return false;
    if (value === '') await this.storage.delete(key);
    else await this.storage.store(key, value);
    await this.load();
    return true;
  }

  dispose(): void {
    this.sub.dispose();
  }
}
