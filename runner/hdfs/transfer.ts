/**
 * Uploads and downloads that stream (memory stays bounded whatever the size) and are atomic like
 * Luigi's HDFS targets: bytes go to a temporary name beside the target, renamed into place at the end.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { WebHdfsClient } from './client';
import { HdfsError } from './errors';

export type Progress = (doneBytes: number, totalBytes: number) => void;

const parentOf = (p: string): string => path.posix.dirname(p);

/** A dot-prefixed name beside the target: Hadoop jobs skip names that start with `.` or `_`. */
export function tempNameFor(target: string): string {
  const suffix = randomBytes(4).toString('hex');
  return path.posix.join(
    parentOf(target),
    `.${path.posix.basename(target)}.tributary-${suffix}.tmp`,
  );
}

async function uploadFile(
  client: WebHdfsClient,
  local: string,
  remote: string,
  onBytes: (n: number) => void,
): Promise<void> {
  const size = fs.statSync(local).size;
  const fh = await fs.promises.open(local, 'r');
  try {
    await client.create(remote, pullStream(fh, onBytes), { overwrite: false, length: size });
  } finally {
    await fh.close().catch(() => {});
  }
}

/**
 * The file as a web stream that reads a chunk only when the upload asks for one, so memory stays
 * bounded whatever the file's size.
 */
function pullStream(
  fh: fs.promises.FileHandle,
  onBytes: (n: number) => void,
): ReadableStream<Uint8Array> {
  const CHUNK = 64 * 1024;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const buf = Buffer.allocUnsafe(CHUNK);
        const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
        if (bytesRead === 0) return controller.close();
        onBytes(bytesRead);
        controller.enqueue(buf.subarray(0, bytesRead));
      },
    },
    { highWaterMark: 1 },
  );
}

function localFiles(dir: string, rel = ''): { rel: string; abs: string; size: number }[] {
  const out: { rel: string; abs: string; size: number }[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...localFiles(dir, r));
    else if (e.isFile())
      out.push({ rel: r, abs: path.join(dir, r), size: fs.statSync(path.join(dir, r)).size });
  }
  return out;
}

/**
 * Uploads a file or a folder to `remote`, replacing what is there and creating parent folders.
 * A file onto an existing folder lands inside it (as `cp`). Returns the final HDFS path.
 */
export async function putPath(
  client: WebHdfsClient,
  local: string,
  remote: string,
  progress?: Progress,
): Promise<string> {
  let st: fs.Stats;
  try {
    st = fs.statSync(local);
  } catch {
    throw new HdfsError(`no such local file or folder: ${local}`);
  }
  const existing = await client.status(remote);
  if (st.isFile() && existing?.type === 'DIRECTORY')
    remote = path.posix.join(remote, path.basename(local));
  if (remote === '/') throw new HdfsError('cannot replace the HDFS root folder');
  const files = st.isDirectory() ? localFiles(local) : [{ rel: '', abs: local, size: st.size }];
  const total = files.reduce((n, f) => n + f.size, 0);
  let done = 0;
  const onBytes = (n: number): void => {
    done += n;
    progress?.(done, total);
  };
  const tmp = tempNameFor(remote);
  await client.mkdirs(parentOf(remote));
  try {
    if (st.isDirectory()) {
      await client.mkdirs(tmp);
      const made = new Set<string>([tmp]);
      for (const f of files) {
        const dest = path.posix.join(tmp, f.rel);
        if (!made.has(parentOf(dest))) {
          await client.mkdirs(parentOf(dest));
          made.add(parentOf(dest));
        }
        await uploadFile(client, f.abs, dest, onBytes);
      }
      // A folder cannot be renamed over a non-empty one: the old one goes first.
      if ((await client.status(remote)) !== undefined) await client.delete(remote, true);
      await client.rename(tmp, remote);
    } else {
      await uploadFile(client, local, tmp, onBytes);
      await client.rename(tmp, remote, true);
    }
  } catch (e) {
    // Best effort: the server may be the thing that went away.
    await client.delete(tmp, true).catch(() => false);
    throw e;
  }
  return remote;
}

/** Downloads one HDFS file to `local` (into it when it is a folder), through a temporary file. */
export async function getFile(
  client: WebHdfsClient,
  remote: string,
  local: string,
  progress?: Progress,
): Promise<string> {
  const st = await client.status(remote);
  if (!st) throw new HdfsError(`File does not exist: ${remote}`);
  if (st.type === 'DIRECTORY')
    throw new HdfsError(`${remote} is a folder: hdfs get downloads one file`);
  if (fs.existsSync(local) && fs.statSync(local).isDirectory())
    local = path.join(local, path.posix.basename(remote));
  const tmp = path.join(
    path.dirname(local),
    `.${path.basename(local)}.tributary-${randomBytes(4).toString('hex')}.tmp`,
  );
  let done = 0;
  try {
    const body = await client.open(remote);
    // One chunk at a time, each written before the next is read: the reader is the backpressure.
    const reader = body.getReader();
    const out = await fs.promises.open(tmp, 'w');
    try {
      for (let r = await reader.read(); !r.done; r = await reader.read()) {
        await out.write(r.value);
        done += r.value.length;
        progress?.(done, st.length);
      }
    } finally {
      await out.close();
      reader.releaseLock();
    }
    fs.renameSync(tmp, local);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    if (e instanceof HdfsError) throw e;
    throw new HdfsError(
      `download of ${remote} from ${client.server} failed: ${(e as Error).message}`,
    );
  }
  return local;
}
