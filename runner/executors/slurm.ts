/** Placeholder until the Slurm executor lands: fails each attempt with a clear message. */
import type { Attempt, Executor, RunningAttempt } from './types';

export class SlurmExecutor implements Executor {
  readonly name = 'slurm';
  start(_a: Attempt): RunningAttempt {
    return {
      done: Promise.resolve({
        status: 'failed',
        exitCode: null,
        message: 'the slurm executor is not available in this build',
      }),
      cancel: () => {},
    };
  }
}
