/**
 * Hover on an HDFS target (`webhdfs://…`, `hdfs:///…`) in a pipeline file: whether it exists,
 * asked of the NameNode. Only in a trusted window (a restricted one connects to nothing), and only
 * on hover, never on typing: the language server's diagnostics stay offline.
 */
import * as vscode from 'vscode';
import { describeHdfsTarget } from '../runner/api';

/** An HDFS URL inside a YAML line, up to the quote, comma, bracket or space that ends the item. */
const HDFS_URL = /(?:s?webhdfs|hdfs):\/\/[^\s'",\]}#]*/g;

export function hdfsTargetAt(
  line: string,
  character: number,
): { start: number; end: number } | undefined {
  for (const m of line.matchAll(HDFS_URL)) {
    const start = m.index ?? 0;
    const end = start + m[0].length;
    if (character >= start && character <= end) return { start, end };
  }
  return undefined;
}

export function registerHdfsHover(env: () => Record<string, string>): vscode.Disposable {
  return vscode.languages.registerHoverProvider([{ pattern: '**/*.pipeline.{yaml,yml}' }], {
    async provideHover(doc, pos) {
      const line = doc.lineAt(pos.line).text;
      const at = hdfsTargetAt(line, pos.character);
      if (!at) return undefined;
      const range = new vscode.Range(pos.line, at.start, pos.line, at.end);
      if (!vscode.workspace.isTrusted)
        return new vscode.Hover('HDFS: not checked in a restricted window', range);
      const target = line.slice(at.start, at.end);
      const said = await describeHdfsTarget(target, { ...process.env, ...env() });
      return new vscode.Hover(new vscode.MarkdownString().appendText(`HDFS: ${said}`), range);
    },
  });
}
