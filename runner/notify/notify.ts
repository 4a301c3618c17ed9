/** Sends a finished run's notifications; a failing channel is recorded, never changes the outcome. */
import type { NotifyEvent } from '../../core/model';
import type { EventBody } from '../../core/run/events';
import type { RunResult } from '../run/result';
import { defaultShell } from '../executors/local';
import type { LoadedPipeline } from '../load';
import { maskSecrets, withoutSecrets } from '../secretEnv';
import { runNotifyCommand } from './command';
import { briefOf, composeDigestMail, composeMail } from './compose';
import { readDigest, writeDigest } from './digest';
import { mailSettings, sendWithRetries, trySend, type MailRetry } from './mail';
import { summarizeRun, type RunSummary } from './summary';

type Emit = (body: EventBody) => void;

function wanted(on: NotifyEvent[], happened: NotifyEvent[]): boolean {
  return on.some((e) => happened.includes(e));
}

/** Mails the run, or keeps it for the digest; returns an error line, if any. */
export async function emailRun(
  loaded: LoadedPipeline,
  summary: RunSummary,
  now = Date.now(),
  retry?: MailRetry,
): Promise<string | undefined> {
  const email = loaded.pipeline.notify.email;
  if (!email) return undefined;
  const settings = mailSettings();
  if (typeof settings === 'string') return settings;
  const digest = email.digestMs ? readDigest(loaded.file) : { pending: [] };
  if (email.digestMs && digest.lastSent && now - digest.lastSent < email.digestMs) {
    writeDigest(loaded.file, { ...digest, pending: [...digest.pending, briefOf(summary)] });
    return undefined;
  }
  const mail = composeMail(summary, email.to, email.subject, digest.pending);
  const err = retry ? await sendWithRetries(settings, mail, retry) : await trySend(settings, mail);
  if (!err && email.digestMs) writeDigest(loaded.file, { lastSent: now, pending: [] });
  return err;
}

/** `notify.command` with this JSON on stdin; returns an error line, if any. */
export function runHook(loaded: LoadedPipeline, json: string): Promise<string | undefined> {
  const command = loaded.pipeline.notify.command?.run;
  if (!command) return Promise.resolve(undefined);
  return runNotifyCommand(
    command,
    loaded.dir,
    json,
    withoutSecrets(process.env), // the hook's script gets no SMTP password or database URL
    process.env.TRIBUTARY_SHELL ?? defaultShell(),
  );
}

/**
 * `retry`: mail that fails for a transient reason is tried again; `startedBy`: what started
 * the run (both from serve).
 */
export async function notifyRun(
  loaded: LoadedPipeline,
  result: RunResult,
  emit: Emit,
  retry?: MailRetry,
  startedBy?: string,
): Promise<void> {
  const n = loaded.pipeline.notify;
  if (!n.email && !n.command) return;
  const summary = summarizeRun(loaded, result, startedBy);
  const jobs: Promise<void>[] = [];
  if (n.email && wanted(n.email.on, summary.events))
    jobs.push(
      emailRun(loaded, summary, Date.now(), retry).then((err) => {
        if (err) emit({ event: 'notify_error', channel: 'email', message: maskSecrets(err) });
      }),
    );
  if (n.command && n.command.run && wanted(n.command.on, summary.events))
    jobs.push(
      runHook(loaded, JSON.stringify(summary)).then((err) => {
        if (err) emit({ event: 'notify_error', channel: 'command', message: maskSecrets(err) });
      }),
    );
  await Promise.all(jobs);
}

/** Sends what a digest gathered once its period is over (called by `serve` now and then). */
export async function flushDigest(
  loaded: LoadedPipeline,
  now = Date.now(),
): Promise<string | undefined> {
  const email = loaded.pipeline.notify.email;
  if (!email?.digestMs) return undefined;
  const digest = readDigest(loaded.file);
  if (digest.pending.length === 0 || (digest.lastSent && now - digest.lastSent < email.digestMs))
    return undefined;
  const settings = mailSettings();
  if (typeof settings === 'string') return settings;
  const name = loaded.pipeline.name ?? loaded.file;
  const err = await trySend(
    settings,
    composeDigestMail(name, email.to, email.subject, digest.pending),
  );
  if (!err) writeDigest(loaded.file, { lastSent: now, pending: [] });
  return err;
}
