/**
 * `tributary serve PATH…`: runs until SIGTERM/SIGINT/SIGHUP, then cancels running tasks and
 * exits 0. A second signal KILLs the running tasks at once (records still closed, locks released);
 * a third exits at once.
 */
import { Server } from '../serve/server';

export async function serveCommand(paths: string[], o: { workers?: number } = {}): Promise<number> {
  const server = new Server(paths, {
    log: (line) => process.stdout.write(line + '\n'),
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
    ...(process.env.TRIBUTARY_SERVE_STABLE_MS
      ? { stableMs: Number(process.env.TRIBUTARY_SERVE_STABLE_MS) }
      : {}),
    // Waits before trying a failed mail again, comma-separated (default 60000,300000,900000).
    ...(process.env.TRIBUTARY_SERVE_MAIL_RETRY_MS !== undefined
      ? {
          mailRetryMs: process.env.TRIBUTARY_SERVE_MAIL_RETRY_MS.split(',')
            .filter((v) => v.trim() !== '') // empty: no retries
            .map(Number)
            .filter((v) => Number.isFinite(v) && v >= 0),
        }
      : {}),
  });
  // Signals are handled from the first moment: one that came between the "serving" line and
  // the handlers would otherwise kill serve outright (Node's default), runs and records with it.
  let started: Promise<unknown> = Promise.resolve();
  return new Promise<number>((resolve, reject) => {
    let signals = 0;
    const onSignal = (sig: NodeJS.Signals): void => {
      if (++signals === 3) process.exit(130);
      if (signals === 2) {
        process.stdout.write(`${new Date().toISOString()} ${sig}: killing running tasks now\n`);
        server.killNow();
        return;
      }
      process.stdout.write(
        `${new Date().toISOString()} ${sig}: stopping (running tasks are cancelled)\n`,
      );
      void started
        .catch(() => undefined)
        .then(() => server.stop())
        .then(() => {
          process.stdout.write(`${new Date().toISOString()} stopped\n`);
          // Told to hurry: a mail still waiting for its server is abandoned, not waited for.
          if (signals >= 2) process.exit(0);
          resolve(0);
        });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    // A closed terminal stops serve the same way (tasks cancelled, records closed, lock released).
    process.on('SIGHUP', onSignal);
    started = server.start();
    started.catch(reject); // no such folder: one line, exit 2
  });
}
