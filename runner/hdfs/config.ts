/** Where an HDFS target lives and as whom to ask: NameNode URL, user and delegation token from the environment. */
import * as os from 'node:os';
import { parseHdfsTarget } from '../../core/graph/hdfsTarget';
import { HdfsError } from './errors';

export interface HdfsEndpoint {
  /** `http://HOST:PORT` of the NameNode (or HttpFS gateway), without `/webhdfs/v1`. */
  baseUrl: string;
  user: string;
  token?: string;
  /** HttpFS's one-request upload (`data=true`) instead of the DataNode redirect. */
  httpfs: boolean;
}

export interface HdfsPlace {
  endpoint: HdfsEndpoint;
  /** Absolute HDFS path. */
  path: string;
}

type Env = Record<string, string | undefined>;

/** TRIBUTARY_HDFS_USER, else HADOOP_USER_NAME (as Hadoop's own clients), else the login name. */
export function hdfsUser(env: Env = process.env): string {
  if (env.TRIBUTARY_HDFS_USER) return env.TRIBUTARY_HDFS_USER;
  if (env.HADOOP_USER_NAME) return env.HADOOP_USER_NAME;
  try {
    return os.userInfo().username;
  } catch {
    return env.USER ?? 'tributary';
  }
}

/** TRIBUTARY_WEBHDFS_URL as a base URL (a trailing `/` or `/webhdfs/v1` is tolerated). */
function defaultBase(env: Env): string {
  const raw = env.TRIBUTARY_WEBHDFS_URL?.trim();
  if (!raw)
    throw new HdfsError(
      'hdfs:/// paths need TRIBUTARY_WEBHDFS_URL (for example http://namenode:9870)',
    );
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new HdfsError(`TRIBUTARY_WEBHDFS_URL is not a URL: ${raw}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new HdfsError(`TRIBUTARY_WEBHDFS_URL must be http:// or https://, got ${raw}`);
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '').replace(/\/webhdfs\/v1$/, '')}`;
}

/**
 * `webhdfs://HOST:PORT/PATH`, `swebhdfs://…` (https), `hdfs:///PATH` or a bare `/PATH`
 * (both through TRIBUTARY_WEBHDFS_URL).
 */
export function locateHdfs(target: string, env: Env = process.env): HdfsPlace {
  const text = target.startsWith('/') ? `hdfs://${target}` : target;
  const l = parseHdfsTarget(text);
  if (!l)
    throw new HdfsError(
      `not an HDFS path: ${target} (write webhdfs://HOST:PORT/PATH or hdfs:///PATH)`,
    );
  let baseUrl: string;
  if (l.scheme === 'hdfs') {
    if (l.authority !== '')
      throw new HdfsError(
        `${target}: hdfs://HOST/ is the RPC address; write webhdfs://HOST:9870/… or hdfs:///… with TRIBUTARY_WEBHDFS_URL`,
      );
    baseUrl = defaultBase(env);
  } else {
    if (l.authority === '') throw new HdfsError(`${target}: ${l.scheme}:// needs HOST:PORT`);
    baseUrl = `${l.scheme === 'swebhdfs' ? 'https' : 'http'}://${l.authority}`;
  }
  return {
    endpoint: {
      baseUrl,
      user: hdfsUser(env),
      ...(env.TRIBUTARY_HDFS_TOKEN ? { token: env.TRIBUTARY_HDFS_TOKEN } : {}),
      httpfs: env.TRIBUTARY_HDFS_HTTPFS === '1' || env.TRIBUTARY_HDFS_HTTPFS === 'true',
    },
    path: l.path,
  };
}
