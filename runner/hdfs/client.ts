/**
 * A WebHDFS REST client on Node's fetch (Hadoop 2.x/3.x `/webhdfs/v1` API, or an HttpFS gateway):
 * metadata calls go to the NameNode; file bytes are streamed to and from the DataNode it redirects to.
 */
import type { HdfsEndpoint } from './config';
import { HdfsError, networkError, remoteError } from './errors';

/** The documented `FileStatus` JSON object. */
export interface FileStatus {
  pathSuffix: string;
  type: 'FILE' | 'DIRECTORY' | 'SYMLINK';
  length: number;
  modificationTime: number;
  accessTime?: number;
  owner: string;
  group: string;
  permission: string;
  replication?: number;
  blockSize?: number;
}

export interface ContentSummary {
  directoryCount: number;
  fileCount: number;
  length: number;
  spaceConsumed?: number;
}

/** Metadata calls wait this long; uploads and downloads have no overall limit. */
const METADATA_TIMEOUT_MS = 30_000;

type Query = Record<string, string | number | boolean>;

/** Each path segment percent-encoded, so spaces, `#`, `?` and unicode names survive. */
function encodePath(p: string): string {
  return p
    .split('/')
    .map((s) => encodeURIComponent(s))
    .join('/');
}

export class WebHdfsClient {
  constructor(readonly endpoint: HdfsEndpoint) {}

  /** `http://HOST:PORT`, for messages. */
  get server(): string {
    return this.endpoint.baseUrl;
  }

  url(path: string, op: string, query: Query = {}): string {
    const q = new URLSearchParams({ op });
    // With a token the user is the token's; sending user.name too is refused by secure clusters.
    if (this.endpoint.token) q.set('delegation', this.endpoint.token);
    else q.set('user.name', this.endpoint.user);
    for (const [k, v] of Object.entries(query)) q.set(k, String(v));
    return `${this.endpoint.baseUrl}/webhdfs/v1${encodePath(path)}?${q.toString()}`;
  }

  private async call(
    method: string,
    path: string,
    op: string,
    query: Query = {},
    init: RequestInit = {},
  ): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(this.url(path, op, query), {
        method,
        redirect: 'manual',
        signal: AbortSignal.timeout(METADATA_TIMEOUT_MS),
        ...init,
      });
    } catch (e) {
      throw networkError(e, `the WebHDFS NameNode at ${this.server}`, 'reach');
    }
    return res;
  }

  private async json<T>(method: string, path: string, op: string, query: Query = {}): Promise<T> {
    const res = await this.call(method, path, op, query);
    if (!res.ok) throw await remoteError(res, `${op} ${path} at ${this.server}`);
    try {
      return (await res.json()) as T;
    } catch {
      throw new HdfsError(`${op} ${path}: ${this.server} did not answer with WebHDFS JSON`);
    }
  }

  /** GETFILESTATUS; undefined when the path does not exist. */
  async status(path: string): Promise<FileStatus | undefined> {
    try {
      return (await this.json<{ FileStatus: FileStatus }>('GET', path, 'GETFILESTATUS')).FileStatus;
    } catch (e) {
      if (e instanceof HdfsError && e.exception === 'FileNotFoundException') return undefined;
      throw e;
    }
  }

  /** LISTSTATUS: a folder's entries (a file lists itself, with an empty pathSuffix). */
  async list(path: string): Promise<FileStatus[]> {
    const body = await this.json<{ FileStatuses: { FileStatus: FileStatus[] } }>(
      'GET',
      path,
      'LISTSTATUS',
    );
    return body.FileStatuses?.FileStatus ?? [];
  }

  async contentSummary(path: string): Promise<ContentSummary> {
    return (await this.json<{ ContentSummary: ContentSummary }>('GET', path, 'GETCONTENTSUMMARY'))
      .ContentSummary;
  }

  async mkdirs(path: string): Promise<void> {
    const { boolean } = await this.json<{ boolean: boolean }>('PUT', path, 'MKDIRS');
    if (!boolean) throw new HdfsError(`cannot create folder ${path} at ${this.server}`);
  }

  /** DELETE; false when there was nothing to delete. */
  async delete(path: string, recursive: boolean): Promise<boolean> {
    return (await this.json<{ boolean: boolean }>('DELETE', path, 'DELETE', { recursive })).boolean;
  }

  /**
   * RENAME; with `overwrite`, `renameoptions=OVERWRITE` replaces an existing file. A server that
   * ignores the option (HttpFS) answers false: the old file is then deleted and the rename retried.
   */
  async rename(from: string, to: string, overwrite = false): Promise<void> {
    const q: Query = { destination: to, ...(overwrite ? { renameoptions: 'OVERWRITE' } : {}) };
    const { boolean } = await this.json<{ boolean: boolean }>('PUT', from, 'RENAME', q);
    if (boolean) return;
    if (overwrite && (await this.status(to))?.type === 'FILE') {
      await this.delete(to, false);
      const again = await this.json<{ boolean: boolean }>('PUT', from, 'RENAME', {
        destination: to,
      });
      if (again.boolean) return;
    }
    throw new HdfsError(`cannot rename ${from} to ${to} at ${this.server}`);
  }

  /**
   * CREATE: asks the NameNode where to write (a 307, or `200 {"Location"}`), then streams the body
   * to that DataNode. Node's fetch cannot resend a streamed body on a redirect, hence two requests.
   */
  async create(
    path: string,
    body: ReadableStream<Uint8Array>,
    o: { overwrite: boolean; length?: number },
  ): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
    if (o.length !== undefined) headers['content-length'] = String(o.length);
    let target: string;
    if (this.endpoint.httpfs) {
      target = this.url(path, 'CREATE', { overwrite: o.overwrite, data: true });
    } else {
      const res = await this.call('PUT', path, 'CREATE', { overwrite: o.overwrite });
      const location =
        res.status === 307 || res.status === 302
          ? res.headers.get('location')
          : res.ok
            ? ((await res.json().catch(() => ({}))) as { Location?: string }).Location
            : undefined;
      if (!res.ok && res.status !== 307 && res.status !== 302)
        throw await remoteError(res, `CREATE ${path} at ${this.server}`);
      if (!location)
        throw new HdfsError(
          `CREATE ${path}: ${this.server} named no DataNode to write to (an HttpFS gateway? set TRIBUTARY_HDFS_HTTPFS=1)`,
        );
      target = new URL(location, this.endpoint.baseUrl).toString();
    }
    const dataNode = new URL(target).host;
    let res: Response;
    try {
      res = await fetch(target, {
        method: 'PUT',
        body,
        headers,
        // Any other mode makes fetch clone the request, which tees the body: the unread branch
        // would keep every chunk sent (a 200 MB upload took 267 MB of memory; with 'error', 87 MB).
        redirect: 'error',
        duplex: 'half',
      } as RequestInit);
    } catch (e) {
      throw networkError(e, `DataNode ${dataNode}`, 'upload to');
    }
    if (!res.ok) throw await remoteError(res, `writing ${path} to DataNode ${dataNode}`);
    await res.body?.cancel();
  }

  /** OPEN: the file's bytes as a stream (fetch follows the redirect to a DataNode). */
  async open(path: string): Promise<ReadableStream<Uint8Array>> {
    let res: Response;
    try {
      res = await fetch(this.url(path, 'OPEN'), { redirect: 'follow' });
    } catch (e) {
      throw networkError(e, `the WebHDFS NameNode at ${this.server}`, 'reach');
    }
    if (!res.ok) throw await remoteError(res, `OPEN ${path} at ${this.server}`);
    if (!res.body) throw new HdfsError(`OPEN ${path}: no data`);
    return res.body;
  }
}
