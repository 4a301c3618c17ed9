/** `tributary validate FILE [--json]`. */
import { LineIndex } from '../../core/text/lines';
import type { Finding } from '../../core/model';
import { loadPipeline } from '../load';
import { findingJson, formatFinding } from '../render/findings';

export function validateCommand(file: string, opts: { json?: boolean }): number {
  const loaded = loadPipeline(file);
  const lines = new LineIndex(loaded.text);
  const errors = loaded.findings.filter((f) => f.severity === 'error').length;
  if (opts.json) {
    const doc = {
      file,
      valid: errors === 0,
      errors,
      warnings: loaded.findings.length - errors,
      findings: loaded.findings.map((f) => findingJson(lines, f)),
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } else {
    for (const f of loaded.findings) process.stdout.write(formatFinding(file, lines, f) + '\n');
    if (loaded.findings.length === 0)
      process.stderr.write(`${file}: valid (${loaded.pipeline.tasks.length} tasks)\n`);
  }
  return errors > 0 ? 1 : 0;
}
