/**
 * The executors a pipeline needs: local always, Slurm only when a task or `--executor` asks for
 * it. First, whatever a dead runner of this folder left running is stopped (its watchdog normally
 * did that already), so that no task ever runs twice at once.
 */
import * as path from 'node:path';
import type { LoadedPipeline } from '../load';
import { statePaths } from '../records/paths';
import { stopOrphanGroups } from './groupLog';
import { LocalExecutor, defaultShell } from './local';
import type { Executor } from './types';

export type Executors = Partial<Record<'local' | 'slurm', Executor>>;

const stderrWarn = (m: string): void => void process.stderr.write(`tributary: warning: ${m}\n`);

export async function executorsFor(
  loaded: LoadedPipeline,
  override?: 'local' | 'slurm',
  warn: (message: string) => void = stderrWarn,
): Promise<Executors> {
  const graceMs = Number(process.env.TRIBUTARY_KILL_GRACE_MS ?? 5000);
  const groupsDir = path.join(statePaths(loaded.file).root, 'groups');
  for (const m of await stopOrphanGroups(groupsDir, graceMs)) warn(m);
  const executors: Executors = {
    // The task launcher where Perl is there (TRIBUTARY_LAUNCHER=0: Node spawns each task).
    local: new LocalExecutor(process.env.TRIBUTARY_SHELL ?? defaultShell(), graceMs, { groupsDir }),
  };
  const p = loaded.pipeline;
  if (
    override === 'slurm' ||
    p.tasks.some((t) => (t.executor ?? p.defaults.executor) === 'slurm')
  ) {
    const { SlurmExecutor } = await import('./slurm');
    const slurm = new SlurmExecutor({
      pipeline: loaded.file,
      shell: process.env.TRIBUTARY_SHELL ?? defaultShell(),
      ...(process.env.TRIBUTARY_SLURM_POLL_MS
        ? { pollMs: Number(process.env.TRIBUTARY_SLURM_POLL_MS) }
        : {}),
      scratch: path.join(statePaths(loaded.file).root, 'slurm'),
    });
    for (const m of await slurm.stopOrphanJobs()) warn(m);
    executors.slurm = slurm;
  }
  return executors;
}

export async function disposeExecutors(executors: Executors): Promise<void> {
  for (const ex of Object.values(executors)) await ex?.dispose?.();
}
