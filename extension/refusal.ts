/**
 * Why a run never started: the runner refused it (invalid pipeline, the lock held by another run,
 * a bad param) and said so on stderr, in a terminal that may be hidden behind the graph.
 */

/** Output kept per session to find that line (the runner says why in its last lines). */
export const REFUSAL_TAIL = 4096;

// Colour codes from FORCE_COLOR: not part of what a person reads in a notification.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/**
 * The runner's reason when it exited without starting a run (no `run_started` event), else
 * undefined: a cancelled (130) or finished run speaks through the graph and the status bar.
 */
export function refusalOf(output: string, started: boolean, code: number): string | undefined {
  if (started || code === 0 || code === 130) return undefined;
  const lines = output
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const said = lines.filter((l) => l.startsWith('tributary:')).at(-1) ?? lines.at(-1);
  const why = (said ?? `the runner exited with code ${code}`).replace(/^tributary:\s*/, '');
  return why.length > 300 ? why.slice(0, 299) + '…' : why;
}
