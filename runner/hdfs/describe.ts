/** One line about an HDFS target for the editor's hover: exists (kind, size, modified), missing, or why it cannot be checked. */
import { WebHdfsClient } from './client';
import { locateHdfs } from './config';
import { HdfsError } from './errors';

type Env = Record<string, string | undefined>;

function size(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** Asks the NameNode (GETFILESTATUS) about one target; never throws. */
export async function describeHdfsTarget(target: string, env: Env): Promise<string> {
  if (target.includes('${')) return 'checked at run time: the path depends on a `${…}` value';
  try {
    const place = locateHdfs(target, env);
    const st = await new WebHdfsClient(place.endpoint).status(place.path);
    if (!st) return `does not exist in HDFS (${place.endpoint.baseUrl})`;
    // Local time, as the rest of the editor shows times.
    const when = new Date(st.modificationTime).toLocaleString();
    return st.type === 'DIRECTORY'
      ? `exists: a folder, modified ${when}`
      : `exists: ${size(st.length)}, modified ${when}`;
  } catch (e) {
    return `cannot check: ${e instanceof HdfsError ? e.message : String(e)}`;
  }
}
