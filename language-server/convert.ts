/** Offsets (core) ↔ LSP positions (this adapter), and findings → diagnostics. */
import { type Diagnostic, DiagnosticSeverity, type Range } from 'vscode-languageserver';
import type { Finding, Span } from '../core/model';
import type { LineIndex } from '../core/text/lines';

export function toRange(lines: LineIndex, s: Span): Range {
  return { start: lines.position(s.start), end: lines.position(s.end) };
}

export function toSpan(lines: LineIndex, r: Range): Span {
  return {
    start: lines.offset(r.start.line, r.start.character),
    end: lines.offset(r.end.line, r.end.character),
  };
}

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
} as const;

export function toDiagnostic(uri: string, lines: LineIndex, f: Finding): Diagnostic {
  return {
    range: toRange(lines, f.range),
    severity: SEVERITY[f.severity],
    code: f.code,
    source: 'tributary',
    message: f.message,
    ...(f.related
      ? {
          relatedInformation: f.related.map((r) => ({
            location: { uri, range: toRange(lines, r.range) },
            message: r.message,
          })),
        }
      : {}),
    ...(f.data ? { data: f.data } : {}),
  };
}
