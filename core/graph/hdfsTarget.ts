/** HDFS target strings (`webhdfs://HOST:PORT/PATH`, `hdfs:///PATH`): recognising and normalising them. */
import { normalizePath } from '../paths';

const SCHEME = /^(swebhdfs|webhdfs|hdfs):\/\/([^/]*)(.*)$/i;

export interface HdfsLocation {
  scheme: 'webhdfs' | 'swebhdfs' | 'hdfs';
  /** `HOST:PORT`; empty for `hdfs:///PATH` (the NameNode of TRIBUTARY_WEBHDFS_URL). */
  authority: string;
  /** Absolute, normalised HDFS path (`/` for the root). */
  path: string;
}

export function isHdfsTarget(text: string): boolean {
  return /^(swebhdfs|webhdfs|hdfs):\/\//i.test(text.trim());
}

export function parseHdfsTarget(text: string): HdfsLocation | undefined {
  const m = SCHEME.exec(text.trim());
  if (!m) return undefined;
  const scheme = (m[1] as string).toLowerCase() as HdfsLocation['scheme'];
  return { scheme, authority: m[2] as string, path: normalizePath('/' + (m[3] ?? '')) };
}

/** The identity that matches outputs with inputs: scheme, authority and normalised path. */
export function hdfsTargetId(text: string): string {
  const l = parseHdfsTarget(text);
  if (!l) return text;
  return `${l.scheme}://${l.authority}${l.path}`;
}

/** Why a target string cannot name an HDFS path, or undefined when it can. */
export function hdfsTargetProblem(text: string): string | undefined {
  const l = parseHdfsTarget(text);
  if (!l) return undefined;
  if (l.scheme === 'hdfs' && l.authority !== '' && !l.authority.startsWith('${'))
    return `hdfs://${l.authority}/… is a NameNode RPC address, which Tributary cannot use: write webhdfs://HOST:9870/… or hdfs:///… with TRIBUTARY_WEBHDFS_URL set`;
  if (l.scheme !== 'hdfs' && l.authority === '')
    return `${l.scheme}:/// needs a HOST:PORT: write ${l.scheme}://HOST:9870/PATH, or hdfs:///PATH with TRIBUTARY_WEBHDFS_URL set`;
  if (/[*?[\]]/.test(l.path.replace(/\$\{[^}]*\}/g, '')))
    return 'HDFS targets cannot be globs: name a file or a folder';
  return undefined;
}
