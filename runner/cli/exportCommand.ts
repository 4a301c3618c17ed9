/** `tributary export FILE --to luigi`: a Luigi module with the same tasks, targets and dependencies. */
import { UserError } from '../userError';
import { loadValid } from './common';
import { toLuigi } from '../export/luigi';

export function exportCommand(file: string, o: { to: string }): number {
  if (o.to !== 'luigi') throw new UserError(`--to: unknown format '${o.to}' (known: luigi)`);
  process.stdout.write(toLuigi(loadValid(file)));
  return 0;
}
