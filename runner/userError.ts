/** A mistake of the user's (bad file, bad flag): printed as one line, never as a stack trace. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

const VERBS: Record<string, string> = {
  mkdir: 'create',
  open: 'open',
  write: 'write',
  rename: 'write',
  link: 'write',
  unlink: 'remove',
  rmdir: 'remove',
  scandir: 'read',
  read: 'read',
};

/** System error codes in words. */
export const REASONS: Record<string, string> = {
  EEXIST: 'a file is in the way',
  ENOTDIR: 'a file is in the way of a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EISDIR: 'it is a folder',
  ENOENT: 'no such file or folder',
  EIO: 'input/output error',
};

/**
 * A file-system failure of the runner's own files (`.tributary/` is a file, a read-only or full
 * disk) as one line, e.g. `cannot create /p/.tributary: a file is in the way (EEXIST)`;
 * undefined for anything else.
 */
export function fileSystemErrorLine(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || typeof err.code !== 'string') return undefined;
  // A write to a file already open names no path (a disk that filled up): the reason still says it.
  if (typeof err.path !== 'string' && !(err.code in REASONS)) return undefined;
  const verb = VERBS[err.syscall ?? ''] ?? 'use';
  const what = typeof err.path === 'string' ? ` ${err.path}` : '';
  return `cannot ${verb}${what}: ${REASONS[err.code] ?? err.code.toLowerCase()} (${err.code})`;
}
