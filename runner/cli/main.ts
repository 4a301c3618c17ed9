/** The `tributary` command line: a wiring table from commands to their handlers. */
import { Command, CommanderError } from 'commander';
import { UserError } from './userError';
import { validateCommand } from './validateCommand';

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
    .configureOutput({ outputError: (str, write) => write(str.split('\n')[0] + '\n') });

  program
    .command('validate')
    .argument('<file>', 'pipeline file')
    .option('--json', 'one JSON document on stdout')
    .description('report every mistake in a pipeline file')
    .action((file: string, o: { json?: boolean }) => run(() => validateCommand(file, o)));

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
    process.stderr.write(
      `tributary: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exitCode = 70;
  }
}

void main(process.argv);
