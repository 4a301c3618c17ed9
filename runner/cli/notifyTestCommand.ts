/** `tributary notify-test FILE`: sends a test message through every channel of `notify`. */
import { initialRunState } from '../../core/run/state';
import { composeMail } from '../notify/compose';
import { mailSettings, trySend } from '../notify/mail';
import { runHook } from '../notify/notify';
import { summarizeRun } from '../notify/summary';
import { loadValid } from './common';
import { UserError } from '../userError';

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
      const err = await trySend(settings, { ...mail, subject: `${mail.subject} (test)` });
      report(`email to ${n.email.to.join(', ')}`, err);
    }
  }
  if (n.command?.run) report('command', await runHook(loaded, JSON.stringify(summary)));
  return failed > 0 ? 1 : 0;
}
