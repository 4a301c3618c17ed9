/** HDFS failures as one line a user can act on: the server's RemoteException, or which server could not be reached. */

/** Something HDFS said or could not say; `message` is one line. */
export class HdfsError extends Error {
  constructor(
    message: string,
    /** The server's exception name (`FileNotFoundException`, `AccessControlException`…). */
    readonly exception?: string,
  ) {
    super(message);
  }
}

/** The server could not be reached at all (refused, unknown host, timed out). */
export class HdfsUnreachable extends HdfsError {}

/** The documented error body: `{"RemoteException": {"exception", "javaClassName", "message"}}`. */
export async function remoteError(res: Response, what: string): Promise<HdfsError> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as {
      RemoteException?: { exception?: string; message?: string };
    };
    const re = body.RemoteException;
    if (re?.message) {
      // Java messages can span lines (a stack, a hint): the first line says what happened.
      const line = re.message.split('\n')[0]!.trim();
      return new HdfsError(line, re.exception);
    }
  } catch {
    // Not JSON: a proxy's or a servlet container's page.
  }
  const hint =
    res.status === 401
      ? ' (authentication required: Kerberos/SPNEGO is not supported; set TRIBUTARY_HDFS_TOKEN to a delegation token)'
      : '';
  return new HdfsError(`${what}: HTTP ${res.status} ${res.statusText}${hint}`.trim());
}

/** A fetch that threw: name the server and the system's reason, never a stack. */
export function networkError(e: unknown, server: string, doing: string): HdfsError {
  if (e instanceof HdfsError) return e;
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code =
    cause?.code ??
    ((e as Error).name === 'TimeoutError' ? 'timed out' : (cause?.message ?? (e as Error).message));
  const msg = `cannot ${doing} ${server} (${code})`;
  return doing.startsWith('reach') ? new HdfsUnreachable(msg) : new HdfsError(msg);
}
