/**
 * How `tributary run` answers signals. The first SIGINT, SIGTERM or SIGHUP (terminal closed)
 * cancels: TERM to every task, KILL after the grace period, record closed, lock released. The
 * second stops waiting: KILL to every task group at once, and still the record and the lock are
 * closed before the exit. Only a third one exits at once (something is stuck). Once the run is
 * over (record closed, lock released), a signal exits at once: only notifications were left.
 */
import { stopNotifyCommands } from '../notify/command';

export function cancelOnSignals(
  cancel: AbortController,
  kill: AbortController,
  beforeMessage: () => void,
  /** The record is closed and the lock released: only notifications are left to wait for. */
  isOver: () => boolean = () => false,
): () => void {
  let count = 0;
  const onSignal = (sig: NodeJS.Signals): void => {
    count++;
    beforeMessage();
    if (isOver()) {
      say(`tributary: ${sig}: the run is over; not waiting for its notifications\n`);
      stopNotifyCommands();
      process.exit(130);
    }
    if (count === 1) {
      say(`tributary: ${sig}: cancelling the run (again to stop the tasks at once)\n`);
      cancel.abort();
    } else if (count === 2) {
      say(`tributary: ${sig}: killing every task now\n`);
      cancel.abort();
      kill.abort();
    } else process.exit(130);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}

function say(line: string): void {
  try {
    process.stderr.write(line);
  } catch {
    // stderr is gone too (a closed terminal): the record says what happened.
  }
}
