/** `tributary notify-test FILE`: sends a test message through every channel of `notify`. */
import { initialRunState } from '../../core/run/state';
import { defaultShell } from '../executors/local';
import { runNotifyCommand } from '../notify/command';
import { composeMail } from '../notify/compose';
import { mailSettings, redact, sendMail } from '../notify/mail';
import { summarizeRun } from '../notify/summary';
import { loadValid } from './common';
import { UserError } from './userError';

export async function notifyTestCommand(file: string): Promise<number> {
  const loaded = loadValid(file);
  const n = loaded.pipeline.notify;
  if (!n.email && !n.command) throw new UserError(`${file} has no notify section`);
  const state = { ...initialRunState(), id: 'notify-test', startedAt: Date.now(), durationMs: 0 };
  const summary = {
    ...summarizeRun(loaded, {
      runId: 'notify-test',
      status: 'success',
      state,
      plan: { steps: [], willRun: new Set() },
      tails: new Map(),
      logDir: '',
    }),
    message: 'This is a test message from `tributary notify-test`.',
  };
  let failed = 0;
  const report = (channel: string, err: string | undefined): void => {
    if (err) failed++;
    process.stdout.write(`${channel}: ${err ? `failed: ${err}` : 'sent'}\n`);
  };
  if (n.email) {
    const settings = mailSettings();
    if (typeof settings === 'string') report('email', settings);
    else {
      const mail = composeMail(summary, n.email.to, n.email.subject, []);
      const err = await sendMail(settings, { ...mail, subject: `${mail.subject} (test)` }).then(
        () => undefined,
        (e: unknown) => redact(e instanceof Error ? e.message : String(e), settings),
      );
      report(`email to ${n.email.to.join(', ')}`, err);
    }
  }
  if (n.command?.run)
    report(
      'command',
      await runNotifyCommand(
        n.command.run,
        loaded.dir,
        JSON.stringify(summary),
        process.env,
        process.env.TRIBUTARY_SHELL ?? defaultShell(),
      ),
    );
  return failed > 0 ? 1 : 0;
}
