/**
 * "Run Pipeline with Params…": one input box per declared param, prefilled with the value last used
 * for this pipeline file (else its default), remembered in the workspace state. Escape runs nothing.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { validationOf } from './pipelines';

const key = (file: string) => `tributary.params:${file}`;

/** Shapes a default can have: a value of another shape gets a warning (the format has no param types). */
const SHAPES: { name: string; re: RegExp }[] = [
  { name: 'a date (YYYY-MM-DD)', re: /^\d{4}-\d{2}-\d{2}$/ },
  { name: 'a whole number', re: /^-?\d+$/ },
  { name: 'a number', re: /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/ },
  { name: 'true or false', re: /^(true|false)$/ },
];

/** A warning when `value` does not look like `fallback` (the default) does; never blocking. */
export function shapeWarning(value: string, fallback: string): string | undefined {
  const shape = SHAPES.find((s) => s.re.test(fallback));
  if (!shape || shape.re.test(value)) return undefined;
  return `The default (${fallback}) is ${shape.name}; this value is not. It is passed as written.`;
}

/** The remembered values of `file`'s params (only those still declared). */
export function rememberedParams(
  state: vscode.Memento,
  file: string,
  declared: Record<string, string>,
): Record<string, string> {
  const all = state.get<Record<string, string>>(key(file)) ?? {};
  return Object.fromEntries(Object.entries(all).filter(([k]) => Object.hasOwn(declared, k)));
}

/**
 * Asks each param in turn; undefined when the user pressed Escape (nothing is run or remembered).
 * The answer holds the params whose value differs from the default: each becomes `--param K=V`.
 */
export async function askParams(
  state: vscode.Memento,
  uri: vscode.Uri,
): Promise<Record<string, string> | undefined> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const declared = validationOf(doc).pipeline.params;
  const names = Object.keys(declared);
  if (names.length === 0)
    void vscode.window.showInformationMessage(
      `${path.basename(uri.fsPath)} declares no params (params:): it runs as it is.`,
    );
  const last = rememberedParams(state, uri.fsPath, declared);
  const chosen: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    const fallback = declared[name] ?? '';
    const value = await vscode.window.showInputBox({
      title: `Run ${path.basename(uri.fsPath)} with params (${i + 1}/${names.length})`,
      prompt: `params.${name} (default: ${fallback === '' ? 'empty' : fallback})`,
      value: last[name] ?? fallback,
      ignoreFocusOut: true,
      validateInput: (v) => {
        const warning = shapeWarning(v, fallback);
        return warning
          ? { message: warning, severity: vscode.InputBoxValidationSeverity.Warning }
          : undefined;
      },
    });
    if (value === undefined) return undefined;
    chosen[name] = value;
  }
  // Only values other than the default are kept: a default changed in the file is then seen.
  const changed = Object.fromEntries(Object.entries(chosen).filter(([k, v]) => declared[k] !== v));
  await state.update(key(uri.fsPath), changed);
  return changed;
}
