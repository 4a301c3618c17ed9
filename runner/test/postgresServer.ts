/**
 * A real PostgreSQL for tests: TRIBUTARY_TEST_DATABASE_URL when given, else a private cluster from
 * Debian's binaries in a temporary folder, on a Unix socket only (as the `postgres` user when the
 * tests run as root, since PostgreSQL refuses root).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TestDatabase {
  url: string;
  stop(): void;
}

function binDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = path.join(root, v, 'bin');
    if (fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
  }
  return undefined;
}

/** Why a database cannot be had here, or undefined when one can. */
export function postgresUnavailable(): string | undefined {
  if (process.env.TRIBUTARY_TEST_DATABASE_URL) return undefined;
  if (!binDir())
    return 'PostgreSQL is not installed (Debian package postgresql; .ci/run installs it)';
  return undefined;
}

export function startPostgres(): TestDatabase {
  const given = process.env.TRIBUTARY_TEST_DATABASE_URL;
  if (given) return { url: given, stop: () => {} };
  const bin = binDir();
  if (!bin) throw new Error(postgresUnavailable());
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-pg-'));
  const data = path.join(root, 'data');
  const port = String(20000 + Math.floor(Math.random() * 20000));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', root]);
  fs.chmodSync(root, 0o755);
  const run = (cmd: string, args: string[]): void => {
    const full = path.join(bin, cmd);
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', full, ...args], { stdio: 'pipe' });
    else execFileSync(full, args, { stdio: 'pipe' });
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const opts = `-c listen_addresses='' -k ${root} -p ${port} -c fsync=off`;
  run('pg_ctl', ['-D', data, '-o', opts, '-l', path.join(root, 'log'), '-w', 'start']);
  return {
    url: `postgresql://postgres@/postgres?host=${encodeURIComponent(root)}&port=${port}`,
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
