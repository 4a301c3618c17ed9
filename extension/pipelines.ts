/** Reading a pipeline document with the core validator, with the real disk for missing inputs. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { toGraphModel } from '../core/protocol/graphModel';
import type { GraphModel } from '../core/protocol/webview';
import { IncrementalParser } from '../core/parse/incremental';
import { validateParsed, type Validation } from '../core/validate/validate';
import { diskHost } from '../runner/api';

export function isPipeline(doc: vscode.TextDocument | vscode.Uri): boolean {
  const p = 'uri' in doc ? doc.uri.path : doc.path;
  return /\.pipeline\.ya?ml$/.test(p);
}

const cache = new WeakMap<vscode.TextDocument, { version: number; v: Validation }>();
/** One incremental parser per document: an edit re-parses only the task block it touched. */
const parsers = new WeakMap<vscode.TextDocument, IncrementalParser>();

export function validationOf(doc: vscode.TextDocument): Validation {
  const hit = cache.get(doc);
  if (hit && hit.version === doc.version) return hit.v;
  let parser = parsers.get(doc);
  if (!parser) parsers.set(doc, (parser = new IncrementalParser()));
  const v = validateParsed(
    parser.parse(doc.getText()),
    doc.uri.scheme === 'file' ? { host: diskHost(path.dirname(doc.uri.fsPath)) } : {},
  );
  cache.set(doc, { version: doc.version, v });
  return v;
}

export function graphOf(doc: vscode.TextDocument): GraphModel {
  return toGraphModel(validationOf(doc), doc.getText());
}

/** The task whose text holds `offset`. */
export function taskAtOffset(doc: vscode.TextDocument, offset: number): string | null {
  const t = validationOf(doc).pipeline.tasks.find(
    (x) => offset >= x.keyRange.start && offset <= Math.max(x.range.end, x.keyRange.end),
  );
  return t?.name ?? null;
}

/** The pipeline of the active editor: a text editor, or a graph (a custom editor has no text editor). */
export function activePipelineUri(): vscode.Uri | undefined {
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri =
    vscode.window.activeTextEditor?.document.uri ??
    (tab instanceof vscode.TabInputCustom || tab instanceof vscode.TabInputText
      ? tab.uri
      : undefined);
  return uri && isPipeline(uri) ? uri : undefined;
}

/** The pipeline a command is about: its argument, else the active editor's (text or graph). */
export async function pipelineUri(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '')
    return arg.includes('://') ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  const active = activePipelineUri();
  if (active) return active;
  const files = await vscode.workspace.findFiles(
    '**/*.pipeline.{yaml,yml}',
    '**/node_modules/**',
    50,
  );
  if (files.length === 1) return files[0];
  const pick = await vscode.window.showQuickPick(
    files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })),
    { placeHolder: 'Which pipeline?' },
  );
  return pick?.uri;
}
