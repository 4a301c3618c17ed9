/** `tributary serve` as a real long-running process for tests: its output, and a stop by SIGTERM. */
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cliSpawn } from './cliHelpers';

export interface Served {
  child: ChildProcess;
  log: () => string;
  stop: () => Promise<number | null>;
}

/** Serves `args` (the folder by default) from `dir`, with short stable and grace times. */
export function serve(dir: string, args = ['.'], env: NodeJS.ProcessEnv = {}): Served {
  const child = cliSpawn(['serve', ...args], {
    cwd: dir,
    env: { TRIBUTARY_SERVE_STABLE_MS: '150', TRIBUTARY_KILL_GRACE_MS: '1000', ...env },
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return {
    child,
    log: () => out,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

/** The non-empty lines of a file the tasks append to (none while it does not exist). */
export const lines = (dir: string, file: string): string[] => {
  const p = path.join(dir, file);
  return fs.existsSync(p) ? fs.readFileSync(p, 'utf8').split('\n').filter(Boolean) : [];
};
