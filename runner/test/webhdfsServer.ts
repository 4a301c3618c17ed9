/**
 * A small WebHDFS server for tests, written from Hadoop's WebHDFS REST API document: a NameNode that
 * answers metadata calls and redirects CREATE/OPEN (307) to a DataNode that moves the bytes, with
 * `RemoteException` errors, owners and permission bits, `overwrite`, `recursive` and `renameoptions`.
 * Files are kept in a real temporary folder, so large uploads cost disk, not memory.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';

interface Meta {
  owner: string;
  group: string;
  permission: string;
}

export interface WebHdfsServerOptions {
  /** HttpFS mode: no DataNode; CREATE with `data=true` takes the bytes itself. */
  httpfs?: boolean;
  /** Delegation tokens the server accepts, and whose they are. */
  tokens?: Record<string, string>;
}

export interface WebHdfsTestServer {
  /** `http://127.0.0.1:PORT` of the NameNode. */
  url: string;
  /** `HOST:PORT` for `webhdfs://` targets. */
  authority: string;
  /** Every request: method, op, path, user, and which node answered. */
  requests: {
    node: 'namenode' | 'datanode';
    method: string;
    op: string;
    path: string;
    user: string;
  }[];
  /** The DataNode drops the connection after this many bytes of the next uploads (the server "going away"). */
  failUploadsAfter: number | undefined;
  /** With failUploadsAfter: the whole server (NameNode and DataNode) goes away, not just one upload. */
  haltOnFailedUpload: boolean;
  /** Closes both nodes, keeping the files (exists/names/readFile still answer). */
  halt(): Promise<void>;
  /** Makes a folder or file as `owner` with these permission bits (octal string). */
  mkdirAs(p: string, owner: string, permission: string): void;
  writeFile(p: string, data: Buffer | string, owner?: string): void;
  readFile(p: string): Buffer;
  exists(p: string): boolean;
  /** Names in a folder (temporary files included). */
  names(p: string): string[];
  stop(): Promise<void>;
}

const SUPERUSER = 'hdfs';

class RemoteError extends Error {
  constructor(
    readonly status: number,
    readonly exception: string,
    message: string,
  ) {
    super(message);
  }
}

const JAVA: Record<string, string> = {
  FileNotFoundException: 'java.io.FileNotFoundException',
  AccessControlException: 'org.apache.hadoop.security.AccessControlException',
  FileAlreadyExistsException: 'org.apache.hadoop.fs.FileAlreadyExistsException',
  PathIsNotEmptyDirectoryException: 'org.apache.hadoop.fs.PathIsNotEmptyDirectoryException',
  IllegalArgumentException: 'java.lang.IllegalArgumentException',
  SecurityException: 'java.lang.SecurityException',
  InvalidToken: 'org.apache.hadoop.security.token.SecretManager$InvalidToken',
  ParentNotDirectoryException: 'org.apache.hadoop.fs.ParentNotDirectoryException',
};

const notFound = (p: string) =>
  new RemoteError(404, 'FileNotFoundException', `File does not exist: ${p}`);

function permString(dir: boolean, perm: string): string {
  const bits = parseInt(perm, 8);
  const rwx = (n: number) => `${n & 4 ? 'r' : '-'}${n & 2 ? 'w' : '-'}${n & 1 ? 'x' : '-'}`;
  return `${dir ? 'd' : '-'}${rwx(bits >> 6)}${rwx((bits >> 3) & 7)}${rwx(bits & 7)}`;
}

export async function startWebHdfs(o: WebHdfsServerOptions = {}): Promise<WebHdfsTestServer> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-webhdfs-'));
  const meta = new Map<string, Meta>([
    ['/', { owner: SUPERUSER, group: 'supergroup', permission: '777' }],
  ]);
  const local = (p: string) => path.join(root, p);
  const norm = (p: string) => path.posix.normalize('/' + p).replace(/(.)\/$/, '$1');
  const parent = (p: string) => path.posix.dirname(p);
  const isDir = (p: string) =>
    fs.statSync(local(p), { throwIfNoEntry: false })?.isDirectory() ?? false;
  const exists = (p: string) => fs.existsSync(local(p));
  const metaOf = (p: string): Meta =>
    meta.get(p) ?? { owner: SUPERUSER, group: 'supergroup', permission: '755' };

  /** POSIX-style check of one permission bit (r=4, w=2, x=1) for a user, as the NameNode does. */
  const check = (user: string, p: string, bit: number, access: string): void => {
    if (user === SUPERUSER) return;
    const m = metaOf(p);
    const bits = parseInt(m.permission, 8);
    const allowed = m.owner === user ? (bits >> 6) & bit : bits & bit;
    if (!allowed)
      throw new RemoteError(
        403,
        'AccessControlException',
        `Permission denied: user=${user}, access=${access}, inode="${p}":${m.owner}:${m.group}:${permString(isDir(p), m.permission)}`,
      );
  };
  /** Writing under `p` needs write on the nearest existing ancestor folder. */
  const checkWrite = (user: string, p: string): void => {
    let q = parent(p);
    while (!exists(q)) q = parent(q);
    if (!isDir(q))
      throw new RemoteError(
        403,
        'ParentNotDirectoryException',
        `Parent path is not a directory: ${q}`,
      );
    check(user, q, 2, 'WRITE');
  };
  const mkdirs = (user: string, p: string, perm = '755'): void => {
    const parts = p.split('/').filter(Boolean);
    let q = '';
    for (const part of parts) {
      q += '/' + part;
      if (exists(q)) {
        if (!isDir(q))
          throw new RemoteError(
            403,
            'ParentNotDirectoryException',
            `Parent path is not a directory: ${q}`,
          );
        continue;
      }
      fs.mkdirSync(local(q));
      meta.set(q, { owner: user, group: 'supergroup', permission: perm });
    }
  };
  const status = (p: string, suffix: string) => {
    const st = fs.statSync(local(p));
    const m = metaOf(p);
    return {
      accessTime: st.isDirectory() ? 0 : Math.floor(st.atimeMs),
      blockSize: st.isDirectory() ? 0 : 134217728,
      group: m.group,
      length: st.isDirectory() ? 0 : st.size,
      modificationTime: Math.floor(st.mtimeMs),
      owner: m.owner,
      pathSuffix: suffix,
      permission: m.permission,
      replication: st.isDirectory() ? 0 : 3,
      type: st.isDirectory() ? 'DIRECTORY' : 'FILE',
    };
  };
  const summary = (p: string) => {
    let dirs = 0;
    let files = 0;
    let length = 0;
    const walk = (q: string) => {
      if (!isDir(q)) {
        files++;
        length += fs.statSync(local(q)).size;
        return;
      }
      dirs++;
      for (const n of fs.readdirSync(local(q))) walk(path.posix.join(q, n));
    };
    walk(p);
    return {
      directoryCount: dirs,
      fileCount: files,
      length,
      quota: -1,
      spaceConsumed: length * 3,
      spaceQuota: -1,
    };
  };
  const moveMeta = (from: string, to: string, drop = false) => {
    for (const [k, v] of [...meta]) {
      if (k === from || k.startsWith(from + '/')) {
        meta.delete(k);
        if (!drop) meta.set(to + k.slice(from.length), v);
      }
    }
  };

  let dataNodeAddr = '';
  const server: WebHdfsTestServer = {
    url: '',
    authority: '',
    requests: [],
    failUploadsAfter: undefined,
    haltOnFailedUpload: false,
    halt: async () => {},
    mkdirAs: (p, owner, permission) => {
      mkdirs(owner, norm(p));
      meta.set(norm(p), { owner, group: 'supergroup', permission });
    },
    writeFile: (p, data, owner = SUPERUSER) => {
      mkdirs(owner, parent(norm(p)));
      fs.writeFileSync(local(norm(p)), data);
      meta.set(norm(p), { owner, group: 'supergroup', permission: '644' });
    },
    readFile: (p) => fs.readFileSync(local(norm(p))),
    exists: (p) => exists(norm(p)),
    names: (p) => (exists(norm(p)) ? fs.readdirSync(local(norm(p))).sort() : []),
    stop: async () => {},
  };

  const userOf = (q: URLSearchParams): string => {
    const token = q.get('delegation');
    if (token !== null) {
      const u = o.tokens?.[token];
      if (!u)
        throw new RemoteError(403, 'InvalidToken', `token (${token}) can't be found in cache`);
      return u;
    }
    const u = q.get('user.name');
    if (!u)
      throw new RemoteError(
        401,
        'SecurityException',
        'Failed to obtain user group information: no user.name',
      );
    return u;
  };

  const send = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  };
  const fail = (res: http.ServerResponse, e: unknown) => {
    const r = e instanceof RemoteError ? e : new RemoteError(500, 'RuntimeException', String(e));
    send(res, r.status, {
      RemoteException: {
        exception: r.exception,
        javaClassName: JAVA[r.exception] ?? 'java.lang.RuntimeException',
        message: r.message,
      },
    });
  };

  /** Receives the bytes of a CREATE, writing them as they arrive (a half-written file is visible, as in HDFS). */
  const receive = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    p: string,
    user: string,
  ) => {
    mkdirs(user, parent(p));
    const out = fs.createWriteStream(local(p));
    meta.set(p, { owner: user, group: 'supergroup', permission: '644' });
    const limit = server.failUploadsAfter;
    let seen = 0;
    if (limit !== undefined)
      req.on('data', (c: Buffer) => {
        seen += c.length;
        if (seen <= limit) return;
        req.socket.destroy();
        if (server.haltOnFailedUpload) void server.halt();
      });
    try {
      await pipeline(req, out);
    } catch {
      return; // the client went away (or we dropped it): the partial file stays, as in HDFS
    }
    res.writeHead(201, {
      location: `webhdfs://${server.authority}${encodeURI(p)}`,
      'content-length': 0,
    });
    res.end();
  };

  const nameNode = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const q = u.searchParams;
    const op = (q.get('op') ?? '').toUpperCase();
    void (async () => {
      try {
        if (!u.pathname.startsWith('/webhdfs/v1'))
          throw new RemoteError(404, 'FileNotFoundException', `no such endpoint: ${u.pathname}`);
        const p = norm(decodeURIComponent(u.pathname.slice('/webhdfs/v1'.length)));
        const user = userOf(q);
        server.requests.push({ node: 'namenode', method: req.method ?? '', op, path: p, user });
        const bool = (k: string) => q.get(k) === 'true';
        switch (`${req.method} ${op}`) {
          case 'GET GETFILESTATUS':
            if (!exists(p)) throw notFound(p);
            return send(res, 200, { FileStatus: status(p, '') });
          case 'GET LISTSTATUS': {
            if (!exists(p)) throw notFound(p);
            if (!isDir(p)) return send(res, 200, { FileStatuses: { FileStatus: [status(p, '')] } });
            check(user, p, 4, 'READ_EXECUTE');
            const list = fs
              .readdirSync(local(p))
              .sort()
              .map((n) => status(path.posix.join(p, n), n));
            return send(res, 200, { FileStatuses: { FileStatus: list } });
          }
          case 'GET GETCONTENTSUMMARY':
            if (!exists(p)) throw notFound(p);
            return send(res, 200, { ContentSummary: summary(p) });
          case 'PUT MKDIRS':
            if (!exists(p)) checkWrite(user, p);
            mkdirs(user, p, q.get('permission') ?? '755');
            return send(res, 200, { boolean: true });
          case 'PUT CREATE': {
            if (exists(p) && isDir(p))
              throw new RemoteError(
                403,
                'FileAlreadyExistsException',
                `${p} already exists as a directory`,
              );
            if (exists(p) && !bool('overwrite'))
              throw new RemoteError(
                403,
                'FileAlreadyExistsException',
                `${p} for client 127.0.0.1 already exists`,
              );
            checkWrite(user, p);
            if (o.httpfs) {
              if (bool('data') && req.headers['content-type'] === 'application/octet-stream')
                return await receive(req, res, p, user);
              req.resume();
              res.writeHead(307, {
                location: `${server.url}${u.pathname}?${q}&data=true`,
                'content-length': 0,
              });
              return res.end();
            }
            req.resume();
            const loc = new URLSearchParams(q);
            loc.set('namenoderpcaddress', 'localhost:8020');
            loc.set('createparent', 'true');
            if (q.get('noredirect') === 'true')
              return send(res, 200, { Location: `http://${dataNodeAddr}${u.pathname}?${loc}` });
            res.writeHead(307, {
              location: `http://${dataNodeAddr}${u.pathname}?${loc}`,
              'content-length': 0,
            });
            return res.end();
          }
          case 'GET OPEN': {
            if (!exists(p)) throw notFound(p);
            if (isDir(p))
              throw new RemoteError(404, 'FileNotFoundException', `Path is not a file: ${p}`);
            check(user, p, 4, 'READ');
            res.writeHead(307, {
              location: `http://${dataNodeAddr}${u.pathname}?${q}`,
              'content-length': 0,
            });
            return res.end();
          }
          case 'DELETE DELETE': {
            if (!exists(p)) return send(res, 200, { boolean: false });
            if (p === '/') throw new RemoteError(403, 'AccessControlException', 'Cannot delete /');
            checkWrite(user, p);
            if (isDir(p) && fs.readdirSync(local(p)).length > 0 && !bool('recursive'))
              throw new RemoteError(
                403,
                'PathIsNotEmptyDirectoryException',
                `\`${p} is non empty': Directory is not empty`,
              );
            fs.rmSync(local(p), { recursive: true, force: true });
            moveMeta(p, p, true);
            return send(res, 200, { boolean: true });
          }
          case 'PUT RENAME': {
            let dest = norm(q.get('destination') ?? '');
            if (!exists(p)) return send(res, 200, { boolean: false });
            checkWrite(user, p);
            if (exists(dest) && isDir(dest)) dest = path.posix.join(dest, path.posix.basename(p));
            if (!exists(parent(dest)) || !isDir(parent(dest)))
              return send(res, 200, { boolean: false });
            checkWrite(user, dest);
            if (exists(dest)) {
              if (
                !(q.get('renameoptions') ?? '').toUpperCase().includes('OVERWRITE') ||
                isDir(dest)
              )
                return send(res, 200, { boolean: false });
              fs.rmSync(local(dest));
            }
            fs.renameSync(local(p), local(dest));
            moveMeta(p, dest);
            return send(res, 200, { boolean: true });
          }
          default:
            req.resume();
            throw new RemoteError(
              400,
              'IllegalArgumentException',
              `Invalid value for webhdfs parameter "op": No enum constant ${op}`,
            );
        }
      } catch (e) {
        req.resume();
        fail(res, e);
      }
    })();
  });

  const dataNode = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const q = u.searchParams;
    const op = (q.get('op') ?? '').toUpperCase();
    const p = norm(decodeURIComponent(u.pathname.slice('/webhdfs/v1'.length)));
    void (async () => {
      try {
        const user = userOf(q);
        server.requests.push({ node: 'datanode', method: req.method ?? '', op, path: p, user });
        if (req.method === 'PUT' && op === 'CREATE') return await receive(req, res, p, user);
        if (req.method === 'GET' && op === 'OPEN') {
          if (!exists(p)) throw notFound(p);
          res.writeHead(200, {
            'content-type': 'application/octet-stream',
            'content-length': fs.statSync(local(p)).size,
          });
          return await pipeline(fs.createReadStream(local(p)), res);
        }
        throw new RemoteError(400, 'IllegalArgumentException', `DataNode does not serve ${op}`);
      } catch (e) {
        fail(res, e);
      }
    })();
  });

  const listen = (s: http.Server) =>
    new Promise<number>((resolve) =>
      s.listen(0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port)),
    );
  const nnPort = await listen(nameNode);
  dataNodeAddr = `127.0.0.1:${await listen(dataNode)}`;
  server.url = `http://127.0.0.1:${nnPort}`;
  server.authority = `127.0.0.1:${nnPort}`;
  server.halt = async () => {
    nameNode.closeAllConnections();
    dataNode.closeAllConnections();
    await Promise.all([
      new Promise((r) => (nameNode.listening ? nameNode.close(r) : r(undefined))),
      new Promise((r) => (dataNode.listening ? dataNode.close(r) : r(undefined))),
    ]);
  };
  server.stop = async () => {
    await server.halt();
    fs.rmSync(root, { recursive: true, force: true });
  };
  return server;
}
