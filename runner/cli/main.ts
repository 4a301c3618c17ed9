/** The `tributary` command line: a wiring table from commands to their handlers. */
import { Command, CommanderError, Option } from 'commander';
import { collectParam, parseLimit, parseWorkers } from './common';
import { collectPartition } from './partitionFlags';
import { historyCommand } from './historyCommand';
import { lineageCommand } from './lineageCommand';
import { planCommand, statusCommand } from './planCommand';
import { runCommand } from './runCommand';
import { fileSystemErrorLine, UserError } from '../userError';
import { validateCommand } from './validateCommand';
import { exportCommand } from './exportCommand';
import { registerHdfs } from './hdfsCommand';

const LONG_RUNNING = new Set(['run', 'backfill', 'serve']);

/** A reader that went away (`| head`) ends the command with its exit code so far, silently. */
function endQuietlyWhenStdoutCloses(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE' && e.code !== 'ERR_STREAM_DESTROYED') throw e;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

function run(handler: () => number | Promise<number>): Promise<void> {
  return Promise.resolve()
    .then(handler)
    .then((code) => {
      process.exitCode = code;
    });
}

export function buildProgram(): Command {
  const program = new Command('tributary')
    .description('Run and check data pipelines (*.pipeline.yaml)')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') })
    .hook('preAction', (_program, action) => {
      // `run`, `backfill` and `serve` cancel their run when stdout closes (cli/output.ts); the
      // other commands just stop, as `git log | head` does: no EPIPE stack trace.
      if (!LONG_RUNNING.has(action.name())) endQuietlyWhenStdoutCloses();
    });

  program
    .command('validate')
    .argument('<file>', 'pipeline file')
    .option('--json', 'one JSON document on stdout')
    .option('--remote', 'also ask HDFS (WebHDFS) whether HDFS inputs exist')
    .description('report every mistake in a pipeline file')
    .action((file: string, o: { json?: boolean; remote?: boolean }) =>
      run(() => validateCommand(file, o)),
    );

  program
    .command('plan')
    .argument('<file>', 'pipeline file')
    .argument('[tasks...]', 'tasks to run (default: all)')
    .option('--force', 'run the selected tasks even if complete')
    .option('--downstream', 'also consider everything downstream of the selected tasks')
    .option('--param <key=value>', 'override a param (repeatable)', collectParam)
    .option('--json', 'one JSON document on stdout')
    .option(
      '--partition <key>',
      'plan this partition (repeatable; default: the latest finished one)',
      collectPartition,
    )
    .option('--from <key>', 'first partition of a range')
    .option('--to <key>', 'last partition of a range, included')
    .description('show what a run would do, in order, and why')
    .action((file: string, tasks: string[], o) => run(() => planCommand(file, tasks, o)));

  program
    .command('run')
    .argument('<file>', 'pipeline file')
    .argument('[tasks...]', 'tasks to run (default: all)')
    .option('--force', 'run the selected tasks even if complete')
    .option('--downstream', 'also run everything downstream of the selected tasks')
    .option('--workers <n>', 'tasks at once (default: number of CPUs)', parseWorkers)
    .option('--param <key=value>', 'override a param (repeatable)', collectParam)
    .option('--executor <name>', 'local or slurm, for every task')
    .option('--trigger-file <path>', 'the value of ${trigger.file} for this run')
    .option('--break-lock', 'take the lock of a run on another host that is gone for good')
    .addOption(
      new Option('--events-fd <fd>', 'write events as JSON lines to this file descriptor')
        .argParser(Number)
        .hideHelp(),
    )
    .option(
      '--partition <key>',
      'run this partition (repeatable; default: the latest finished one)',
      collectPartition,
    )
    .description('run the incomplete tasks, their upstream first')
    .action((file: string, tasks: string[], o) => run(() => runCommand(file, tasks, o)));

  program
    .command('backfill')
    .argument('<file>', 'pipeline file')
    .argument('[tasks...]', 'tasks to run (default: all)')
    .option('--from <key>', 'first partition (default: the first)')
    .option('--to <key>', 'last partition, included (default: the latest finished)')
    .option('--workers <n>', 'tasks at once (default: number of CPUs)', parseWorkers)
    .option('--force', 'run the selected tasks even if complete')
    .option('--param <key=value>', 'override a param (repeatable)', collectParam)
    .option('--executor <name>', 'local or slurm, for every task')
    .option('--break-lock', 'take the lock of a run on another host that is gone for good')
    .addOption(
      new Option('--events-fd <fd>', 'write events as JSON lines to this file descriptor')
        .argParser(Number)
        .hideHelp(),
    )
    .description('run every incomplete partition in a range, oldest first, then what is downstream')
    .action((file: string, tasks: string[], o) =>
      run(() => runCommand(file, tasks, { ...o, backfill: true })),
    );

  program
    .command('status')
    .argument('<file>', 'pipeline file')
    .option('--json', 'one JSON document on stdout')
    .option(
      '--partition <key>',
      'only this partition (repeatable; default: every partition)',
      collectPartition,
    )
    .option('--from <key>', 'first partition of a range')
    .option('--to <key>', 'last partition of a range, included')
    .description('each task: complete, stale (and why), never run, failed; per partition as a grid')
    .action((file: string, o) => run(() => statusCommand(file, o)));

  program
    .command('history')
    .argument('<file>', 'pipeline file')
    .option('--json', 'one JSON document on stdout')
    .option('--limit <n>', 'most recent runs to show', parseLimit)
    .option('--partition <key>', 'only the runs of this partition, and its tasks')
    .description('past runs: start, duration, outcome, per-task timings')
    .action((file: string, o) => run(() => historyCommand(file, o)));

  program
    .command('lineage')
    .argument('<file>', 'pipeline file')
    .argument('<path>', 'an output file or folder')
    .option('--json', 'one JSON document on stdout')
    .description('which task and run produced PATH, from what inputs, up to the sources')
    .action((file: string, p: string, o) => run(() => lineageCommand(file, p, o)));

  program
    .command('export')
    .argument('<file>', 'pipeline file')
    .requiredOption('--to <format>', 'luigi')
    .description('write the pipeline as a module of another orchestrator')
    .action((file: string, o: { to: string }) => run(() => exportCommand(file, o)));

  program
    .command('notify-test')
    .argument('<file>', 'pipeline file')
    .description('send a test message through every channel of its notify section')
    .action((file: string) =>
      run(async () => (await import('./notifyTestCommand')).notifyTestCommand(file)),
    );

  program
    .command('serve')
    .argument('<paths...>', 'pipeline files or folders to watch')
    .description(
      'long-running: schedules, file triggers and notifications for the pipelines under PATH',
    )
    .option('--workers <n>', 'tasks at once in each run (default: number of CPUs)', parseWorkers)
    .action((paths: string[], o: { workers?: number }) =>
      run(async () => (await import('./serveCommand')).serveCommand(paths, o)),
    );

  registerHdfs(program, run);

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof UserError) {
      process.stderr.write(`tributary: ${e.message}\n`);
      process.exitCode = e.exitCode;
      return;
    }
    const fsLine = fileSystemErrorLine(e);
    if (fsLine !== undefined) {
      process.stderr.write(`tributary: ${fsLine}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `tributary: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 70;
  }
}

void main(process.argv);
