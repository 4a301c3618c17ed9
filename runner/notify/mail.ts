/** E-mail through SMTP with nodemailer; the server comes from the environment, never from the YAML. */
import * as os from 'node:os';

export interface MailSettings {
  url: string;
  from: string;
  password?: string;
}

/** The server as separate variables: TRIBUTARY_SMTP_HOST, _PORT, _USER, _TLS (1/true: smtps). */
function urlFromParts(env: NodeJS.ProcessEnv): string | undefined {
  const host = env.TRIBUTARY_SMTP_HOST;
  if (!host) return undefined;
  const tls = /^(1|true|yes)$/i.test(env.TRIBUTARY_SMTP_TLS ?? '');
  const user = env.TRIBUTARY_SMTP_USER ? `${encodeURIComponent(env.TRIBUTARY_SMTP_USER)}@` : '';
  const port = env.TRIBUTARY_SMTP_PORT || (tls ? '465' : '587');
  return `${tls ? 'smtps' : 'smtp'}://${user}${host}:${port}`;
}

/**
 * `TRIBUTARY_SMTP_URL` (smtp://user@host:587, smtps://… for TLS) or the same as
 * `TRIBUTARY_SMTP_HOST`/`_PORT`/`_USER`/`_TLS`; `TRIBUTARY_SMTP_PASSWORD` (kept out of the URL so
 * that it can come from a secret store); `TRIBUTARY_SMTP_FROM`.
 */
export function mailSettings(env: NodeJS.ProcessEnv = process.env): MailSettings | string {
  const url = env.TRIBUTARY_SMTP_URL || urlFromParts(env);
  if (!url)
    return 'no mail server: set TRIBUTARY_SMTP_URL (e.g. smtp://user@mail.example.com:587) or TRIBUTARY_SMTP_HOST';
  return {
    url,
    from: env.TRIBUTARY_SMTP_FROM || `tributary@${os.hostname()}`,
    ...(env.TRIBUTARY_SMTP_PASSWORD ? { password: env.TRIBUTARY_SMTP_PASSWORD } : {}),
  };
}

function transportOptions(s: MailSettings): Record<string, unknown> {
  const u = new URL(s.url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    throw new Error(`TRIBUTARY_SMTP_URL must start with smtp:// or smtps://, got ${u.protocol}//`);
  const secure = u.protocol === 'smtps:';
  const user = decodeURIComponent(u.username);
  const pass = s.password ?? (u.password ? decodeURIComponent(u.password) : undefined);
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : secure ? 465 : 587,
    secure,
    ...(user ? { auth: { user, pass } } : {}),
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  };
}

/** Removes anything secret from a message that will be logged. */
function redact(message: string, s: MailSettings): string {
  let out = message;
  if (s.password) out = out.split(s.password).join('***');
  return out.replace(/(\w+:\/\/[^:/@\s]*:)[^@\s]*@/g, '$1***@');
}

export interface Mail {
  to: string[];
  subject: string;
  text: string;
}

/** Sends, and answers with one redacted line instead of throwing when the server fails. */
export async function trySend(s: MailSettings, mail: Mail): Promise<string | undefined> {
  return (await attempt(s, mail))?.message;
}

/** nodemailer's codes for a server that could not be reached or dropped the line. */
const UNREACHABLE = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']);

/**
 * A failure worth trying again: the server down or not answering, or a 4xx reply (the SMTP
 * code for "try later"); not a refused login or a 5xx refusal, which will not change by itself.
 */
function transient(e: unknown): boolean {
  const { code, responseCode } = (e ?? {}) as { code?: unknown; responseCode?: unknown };
  if (typeof responseCode === 'number') return responseCode >= 400 && responseCode < 500;
  return typeof code === 'string' && UNREACHABLE.has(code);
}

async function attempt(
  s: MailSettings,
  mail: Mail,
): Promise<{ message: string; transient: boolean } | undefined> {
  try {
    await sendMail(s, mail);
    return undefined;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      message: redact(`e-mail to ${mail.to.join(', ')} failed: ${reason}`, s),
      transient: transient(e),
    };
  }
}

export interface MailRetry {
  /** Waits before each new try (serve: a relay rebooting at midnight must not lose the mail). */
  delaysMs: number[];
  /** Told of each failure that will be tried again. */
  onRetry: (message: string, inMs: number) => void;
  /** Aborted (serve stopping): no more waiting, the last failure is the answer. */
  signal?: AbortSignal;
}

/** `trySend`, tried again after the given delays while the failure is a transient one. */
export async function sendWithRetries(
  s: MailSettings,
  mail: Mail,
  retry: MailRetry,
): Promise<string | undefined> {
  for (let i = 0; ; i++) {
    const failed = await attempt(s, mail);
    const wait = retry.delaysMs[i];
    if (!failed || !failed.transient || wait === undefined || retry.signal?.aborted)
      return failed?.message;
    retry.onRetry(failed.message, wait);
    await sleep(wait, retry.signal);
    if (retry.signal?.aborted) return failed.message;
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

async function sendMail(s: MailSettings, mail: Mail): Promise<void> {
  // Loaded on first use: every command starts faster without it.
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport(transportOptions(s));
  try {
    await transport.sendMail({ from: s.from, to: mail.to, subject: mail.subject, text: mail.text });
  } finally {
    transport.close();
  }
}
