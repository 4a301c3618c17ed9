/** A real SMTP server in the test process (the smtp-server package) that keeps what it receives. */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  user?: string;
  password?: string;
}

export async function startSmtp(
  o: { requireAuth?: { user: string; password: string } } = {},
): Promise<{ url: string; port: number; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const sessions = new Map<string, { user: string; password: string }>();
  const server = new SMTPServer({
    disabledCommands: o.requireAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !o.requireAuth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, session, cb) {
      const want = o.requireAuth;
      if (want && auth.username === want.user && auth.password === want.password) {
        sessions.set(session.id, { user: auth.username, password: auth.password ?? '' });
        cb(null, { user: auth.username });
      } else cb(new Error('bad credentials'));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString()));
      stream.on('end', () => {
        const auth = sessions.get(session.id);
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          ...(auth ? { user: auth.user, password: auth.password } : {}),
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The decoded text part of a raw message (quoted-printable soft breaks undone). */
export function mailText(raw: string): string {
  const bytes = raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
