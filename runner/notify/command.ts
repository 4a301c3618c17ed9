/** `notify.command`: a shell command that receives the run summary as JSON on stdin (Slack, webhooks…). */
import { spawn } from 'node:child_process';

const TIMEOUT_MS = 60_000;

/** Process groups of the hooks still running, so that a runner told to stop ends them too. */
const live = new Set<number>();

/** KILLs every hook still running (the user stopped the runner while it was notifying). */
export function stopNotifyCommands(): void {
  for (const pid of live) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

/** Resolves with undefined on success, else with one line saying what went wrong. */
export function runNotifyCommand(
  command: string,
  cwd: string,
  input: string,
  env: NodeJS.ProcessEnv,
  shell: string,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(shell, ['-c', command], {
      cwd,
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
      detached: true,
    });
    if (child.pid !== undefined) live.add(child.pid);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-2000);
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // already gone
      }
    }, TIMEOUT_MS);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve(`notify command could not start: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (child.pid !== undefined) live.delete(child.pid);
      if (code === 0) return resolve(undefined);
      const last = stderr.trim().split('\n').pop() ?? '';
      resolve(
        `notify command ${signal ? `was killed (${signal})` : `exited ${code}`}${last ? `: ${last}` : ''}`,
      );
    });
    // A command that does not read its stdin must not fail the write.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
