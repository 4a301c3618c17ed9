/** `tributary hdfs put|get|ls|rm`: move data in and out of HDFS over WebHDFS, exit 0 or 1 with one line. */
import * as path from 'node:path';
import type { Command } from 'commander';
import { WebHdfsClient, type FileStatus } from '../hdfs/client';
import { locateHdfs } from '../hdfs/config';
import { HdfsError } from '../hdfs/errors';
import { progressLine } from '../hdfs/progress';
import { getFile, putPath } from '../hdfs/transfer';
import { UserError } from '../userError';

function place(target: string): { client: WebHdfsClient; path: string } {
  const p = locateHdfs(target);
  return { client: new WebHdfsClient(p.endpoint), path: p.path };
}

/** HDFS failures are the command failing (exit 1), not a usage mistake. */
async function guarded(fn: () => Promise<void>): Promise<number> {
  try {
    await fn();
    return 0;
  } catch (e) {
    if (e instanceof HdfsError) throw new UserError(e.message, 1);
    throw e;
  }
}

export function hdfsPut(local: string, target: string): Promise<number> {
  return guarded(async () => {
    const { client, path: remote } = place(target);
    const bar = progressLine(`uploading ${path.basename(local)}`);
    try {
      const final = await putPath(client, local, remote, bar.update);
      bar.end();
      process.stderr.write(`uploaded ${local} to ${final}\n`);
    } catch (e) {
      bar.end();
      throw e;
    }
  });
}

export function hdfsGet(target: string, local: string): Promise<number> {
  return guarded(async () => {
    const { client, path: remote } = place(target);
    const bar = progressLine(`downloading ${path.posix.basename(remote)}`);
    try {
      const final = await getFile(client, remote, local, bar.update);
      bar.end();
      process.stderr.write(`downloaded ${remote} to ${final}\n`);
    } catch (e) {
      bar.end();
      throw e;
    }
  });
}

function permissions(s: FileStatus): string {
  const bits = parseInt(s.permission, 8);
  const rwx = (n: number): string => `${n & 4 ? 'r' : '-'}${n & 2 ? 'w' : '-'}${n & 1 ? 'x' : '-'}`;
  return `${s.type === 'DIRECTORY' ? 'd' : '-'}${rwx(bits >> 6)}${rwx((bits >> 3) & 7)}${rwx(bits & 7)}`;
}

export function hdfsLs(target: string, flags: { json?: boolean }): Promise<number> {
  return guarded(async () => {
    const { client, path: remote } = place(target);
    const st = await client.status(remote);
    if (!st) throw new HdfsError(`File does not exist: ${remote}`);
    const list = st.type === 'DIRECTORY' ? await client.list(remote) : [st];
    if (flags.json) {
      process.stdout.write(JSON.stringify({ path: remote, entries: list }, null, 2) + '\n');
      return;
    }
    const name = (s: FileStatus): string =>
      (s.pathSuffix || path.posix.basename(remote)) + (s.type === 'DIRECTORY' ? '/' : '');
    const width = Math.max(0, ...list.map((s) => String(s.length).length));
    const owners = Math.max(0, ...list.map((s) => `${s.owner} ${s.group}`.length));
    for (const s of list) {
      const when = new Date(s.modificationTime).toISOString().slice(0, 16).replace('T', ' ');
      process.stdout.write(
        `${permissions(s)}  ${`${s.owner} ${s.group}`.padEnd(owners)}  ${String(s.length).padStart(width)}  ${when}  ${name(s)}\n`,
      );
    }
  });
}

export function hdfsRm(target: string): Promise<number> {
  return guarded(async () => {
    const { client, path: remote } = place(target);
    if (remote === '/') throw new HdfsError('refusing to delete the HDFS root folder');
    if (!(await client.delete(remote, true))) throw new HdfsError(`File does not exist: ${remote}`);
    process.stderr.write(`deleted ${remote}\n`);
  });
}

/** The `hdfs` command group, registered by main.ts in one line. */
export function registerHdfs(
  program: Command,
  run: (h: () => Promise<number>) => Promise<void>,
): void {
  const hdfs = program
    .command('hdfs')
    .description(
      'move data in and out of HDFS over WebHDFS (webhdfs://HOST:PORT/PATH, or hdfs:///PATH with TRIBUTARY_WEBHDFS_URL)',
    );
  hdfs
    .command('put')
    .argument('<local>', 'a local file or folder')
    .argument('<target>', 'where in HDFS')
    .description('upload (a folder recursively), replacing the target atomically, creating parents')
    .action((local: string, target: string) => run(() => hdfsPut(local, target)));
  hdfs
    .command('get')
    .argument('<target>', 'an HDFS file')
    .argument('<local>', 'a local file or folder')
    .description('download a file')
    .action((target: string, local: string) => run(() => hdfsGet(target, local)));
  hdfs
    .command('ls')
    .argument('<target>', 'an HDFS folder or file')
    .option('--json', 'one JSON document on stdout')
    .description('list a folder, one entry a line')
    .action((target: string, o: { json?: boolean }) => run(() => hdfsLs(target, o)));
  hdfs
    .command('rm')
    .argument('<target>', 'an HDFS file or folder')
    .description('delete, recursively')
    .action((target: string) => run(() => hdfsRm(target)));
}
