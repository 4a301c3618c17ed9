/** Findings as text lines (`FILE:LINE:COL: SEVERITY: MESSAGE [CODE]`) and as JSON, for the CLI and serve. */
import type { LineIndex } from '../../core/text/lines';
import type { Finding } from '../../core/model';

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
