/** `tributary validate FILE [--json]`. */
import { LineIndex } from '../../core/text/lines';
import type { Finding } from '../../core/model';
import { loadPipeline } from '../load';

export function formatFinding(file: string, lines: LineIndex, f: Finding): string {
  const p = lines.position(f.range.start);
  return `${file}:${p.line + 1}:${p.character + 1}: ${f.severity}: ${f.message} [${f.code}]`;
}

export function findingJson(lines: LineIndex, f: Finding): Record<string, unknown> {
  const s = lines.position(f.range.start);
  const e = lines.position(f.range.end);
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    line: s.line + 1,
    column: s.character + 1,
    endLine: e.line + 1,
    endColumn: e.character + 1,
    ...(f.related
      ? {
          related: f.related.map((r) => ({
            message: r.message,
            line: lines.position(r.range.start).line + 1,
            column: lines.position(r.range.start).character + 1,
          })),
        }
      : {}),
  };
}

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
