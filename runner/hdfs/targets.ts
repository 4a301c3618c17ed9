/**
 * HDFS targets for the runner: whether each exists and its fingerprint (length and modification time,
 * recursively for a folder), asked of the NameNode before planning and again after a task writes.
 */
import { createHash } from 'node:crypto';
import { isSameOrInside } from '../../core/paths';
import { TargetCheckError } from '../targets/postgres';
import type { ConcreteTarget } from '../taskSpec';
import { WebHdfsClient } from './client';
import { locateHdfs } from './config';
import { HdfsError } from './errors';

interface Answer {
  exists: boolean;
  signature: string;
}

/** At most this many requests in flight to the NameNodes. */
const CONCURRENCY = 8;

/** Size and modification time of a file; for a folder, of every file inside, by relative name. */
export async function hdfsSignature(client: WebHdfsClient, path: string): Promise<Answer> {
  const st = await client.status(path);
  if (!st) return { exists: false, signature: 'missing' };
  if (st.type !== 'DIRECTORY')
    return { exists: true, signature: `${st.length}:${st.modificationTime}` };
  const h = createHash('sha1');
  let count = 0;
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = (await client.list(dir)).sort((a, b) =>
      a.pathSuffix < b.pathSuffix ? -1 : a.pathSuffix > b.pathSuffix ? 1 : 0,
    );
    for (const e of entries) {
      const child = `${dir === '/' ? '' : dir}/${e.pathSuffix}`;
      if (e.type === 'DIRECTORY') await walk(child, `${rel}${e.pathSuffix}/`);
      else {
        h.update(`${rel}${e.pathSuffix}\0${e.length}\0${e.modificationTime}\n`);
        count++;
      }
    }
  };
  await walk(path, '');
  return { exists: true, signature: `dir:${count}:${h.digest('hex').slice(0, 16)}` };
}

async function inBatches<T>(items: T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
}

/** Answers for the HDFS targets of one run or one inspection. */
export class HdfsTargetCache {
  private readonly known = new Map<string, Answer>();

  exists(t: ConcreteTarget): boolean {
    return this.known.get(t.id)?.exists ?? false;
  }

  signature(t: ConcreteTarget): string | undefined {
    return this.known.get(t.id)?.signature;
  }

  /**
   * Asks about these targets, and again about every known one they lie inside or contain (a task
   * that wrote `/raw/day.csv` changed the folder `/raw/` another task reads). Throws a
   * TargetCheckError with one line naming the NameNode when one cannot be asked.
   */
  async refresh(targets: ConcreteTarget[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
    // A `${env.X}` left unfilled cannot be asked about; its task fails naming the variable.
    const ids = new Set(
      targets.filter((t) => t.target.kind === 'hdfs' && !t.id.includes('${')).map((t) => t.id),
    );
    for (const id of [...ids])
      for (const k of this.known.keys())
        if (isSameOrInside(k, id) || isSameOrInside(id, k)) ids.add(k);
    const clients = new Map<string, WebHdfsClient>();
    await inBatches([...ids], async (id) => {
      try {
        const place = locateHdfs(id, env);
        const key = `${place.endpoint.baseUrl}\0${place.endpoint.user}`;
        let client = clients.get(key);
        if (!client) clients.set(key, (client = new WebHdfsClient(place.endpoint)));
        this.known.set(id, await hdfsSignature(client, place.path));
      } catch (e) {
        if (e instanceof HdfsError) throw new TargetCheckError(`cannot check ${id}: ${e.message}`);
        throw e;
      }
    });
  }
}
