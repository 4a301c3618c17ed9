/** A test client for the built server over stdio: the real protocol, no VS Code. */
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  type MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-jsonrpc/node';

// TRIBUTARY_TEST_SERVER: another build of the server (e.g. main's, to see a new test fail on it).
export const SERVER =
  process.env.TRIBUTARY_TEST_SERVER ??
  path.resolve(import.meta.dirname, '..', '..', 'dist', 'server.js');

export interface Diag {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code: string;
  message: string;
  severity: number;
  data?: unknown;
  relatedInformation?: unknown[];
}

export class LspClient {
  readonly conn: MessageConnection;
  private readonly child: ChildProcess;
  private readonly waiters: { uri: string; version?: number; resolve: (d: Diag[]) => void }[] = [];
  readonly latest = new Map<string, { version?: number; diagnostics: Diag[] }>();
  private versions = new Map<string, number>();
  exited = false;

  constructor(env: NodeJS.ProcessEnv = {}) {
    this.child = spawn(process.execPath, [SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ...env },
    });
    this.child.on('exit', () => (this.exited = true));
    this.conn = createMessageConnection(
      new StreamMessageReader(this.child.stdout!),
      new StreamMessageWriter(this.child.stdin!),
    );
    this.conn.onNotification(
      'textDocument/publishDiagnostics',
      (p: { uri: string; version?: number; diagnostics: Diag[] }) => {
        this.latest.set(p.uri, p);
        for (let i = this.waiters.length - 1; i >= 0; i--) {
          const w = this.waiters[i]!;
          if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
            this.waiters.splice(i, 1);
            w.resolve(p.diagnostics);
          }
        }
      },
    );
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onNotification('window/logMessage', () => {});
    this.conn.listen();
  }

  async start(): Promise<void> {
    await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } } },
    });
    await this.conn.sendNotification('initialized', {});
  }

  diagnostics(uri: string, version?: number): Promise<Diag[]> {
    return new Promise((resolve) =>
      this.waiters.push({ uri, ...(version !== undefined ? { version } : {}), resolve }),
    );
  }

  async open(file: string, text: string): Promise<{ uri: string; diagnostics: Diag[] }> {
    const uri = pathToFileURL(file).href;
    this.versions.set(uri, 1);
    const wait = this.diagnostics(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    return { uri, diagnostics: await wait };
  }

  async change(uri: string, text: string): Promise<Diag[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const wait = this.diagnostics(uri, version);
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return wait;
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.conn.sendRequest(method, params) as Promise<T>;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([
        this.conn.sendRequest('shutdown'),
        new Promise((r) => setTimeout(r, 2000)),
      ]);
      await this.conn.sendNotification('exit');
    } catch {}
    this.conn.dispose();
    this.child.kill();
  }
}

/** Position of the `n`-th occurrence of `needle` (plus `delta` characters) in `text`. */
export function pos(
  text: string,
  needle: string,
  delta = 0,
  n = 0,
): { line: number; character: number } {
  let i = -1;
  for (let k = 0; k <= n; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, i + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** Applies LSP text edits to a text. */
export function applyLspEdits(
  text: string,
  edits: { range: Diag['range']; newText: string }[],
): string {
  const offset = (p: { line: number; character: number }): number => {
    const lines = text.split('\n');
    let o = 0;
    for (let i = 0; i < p.line; i++) o += (lines[i]?.length ?? 0) + 1;
    return o + p.character;
  };
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce(
      (t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)),
      text,
    );
}

/**
 * The one server a test file talks to: made and started before its tests, stopped after them,
 * and `tempDir` (the file's own temporary folder) removed then. `set` receives it.
 */
export function serverForTests(set: (client: LspClient) => void, tempDir?: string): void {
  let client: LspClient | undefined;
  before(async () => {
    client = new LspClient();
    set(client);
    await client.start();
  });
  after(async () => {
    await client?.stop();
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  });
}
