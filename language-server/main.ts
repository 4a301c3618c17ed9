/**
 * The Tributary language server: everything it knows comes from core/ (one parser, one
 * validator, one edit planner). Runs over IPC (the extension) or stdio (`--stdio`).
 */
import {
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Analysis, analyze, type DocumentState, freshState } from './analysis';
import { codeActions } from './codeActions';
import { complete } from './completion';
import { toDiagnostic } from './convert';
import { hover } from './hover';
import { definition, prepareRename, references, rename } from './navigation';
import { documentSymbols, foldingRanges } from './symbols';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const cache = new Map<string, Analysis>();
const states = new Map<string, DocumentState>();
const pending = new Map<string, NodeJS.Timeout>();
// Changes already received are applied before the timer fires, so a burst is analysed once;
// analysis is incremental, so there is no need to wait for the typing to pause.
const DEBOUNCE_MS = Number(process.env.TRIBUTARY_LSP_DEBOUNCE_MS ?? 0);
const INCREMENTAL = process.env.TRIBUTARY_LSP_INCREMENTAL !== '0';
let watchFiles = false;

function log(message: string): void {
  connection.console.log(message);
}

/** Runs a handler; any exception is logged and answered with `fallback`, never a crash. */
function guard<A extends unknown[], R>(
  name: string,
  fallback: R,
  fn: (...args: A) => R,
): (...args: A) => R {
  return (...args: A) => {
    try {
      return fn(...args);
    } catch (e) {
      if (e && typeof e === 'object' && 'code' in e && (e as { code: number }).code === -32602)
        throw e;
      log(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };
}

function analysisOf(uri: string): Analysis | undefined {
  const doc = documents.get(uri);
  if (!doc) return undefined;
  const cached = cache.get(uri);
  if (cached && cached.version === doc.version) return cached;
  let state = states.get(uri);
  // TRIBUTARY_LSP_INCREMENTAL=0: nothing kept, i.e. a full parse and validation (the benchmark's baseline).
  if (!state || !INCREMENTAL) states.set(uri, (state = freshState()));
  const fresh = analyze(uri, doc.version, doc.getText(), state);
  const good = cached && (cached.validation.syntaxOk ? cached.validation : cached.lastGood);
  if (!fresh.validation.syntaxOk && good) fresh.lastGood = good;
  cache.set(uri, fresh);
  return fresh;
}

const publish = guard('diagnostics', undefined, (uri: string): void => {
  const a = analysisOf(uri);
  if (!a) return;
  const doc = documents.get(uri);
  if (doc && doc.version !== a.version) return; // a newer change is on its way
  void connection.sendDiagnostics({
    uri,
    version: a.version,
    diagnostics: a.validation.findings.map((f) => toDiagnostic(uri, a.lines, f)),
  });
});

function schedule(uri: string, delay = DEBOUNCE_MS): void {
  clearTimeout(pending.get(uri));
  pending.set(
    uri,
    setTimeout(() => {
      pending.delete(uri);
      publish(uri);
    }, delay),
  );
}

connection.onInitialize((params) => {
  watchFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['.', '[', ',', ' ', '{', '-'] },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      codeActionProvider: { codeActionKinds: ['quickfix'] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
    },
    serverInfo: { name: 'tributary-language-server', version: '0.1.0' },
  };
});

connection.onInitialized(() => {
  // Missing inputs depend on the disk: re-check open pipelines when files appear or vanish.
  if (watchFiles)
    void connection.client.register(DidChangeWatchedFilesNotification.type, {
      watchers: [{ globPattern: '**/*' }],
    });
});

documents.onDidOpen((e) => schedule(e.document.uri, 0));
documents.onDidChangeContent((e) => schedule(e.document.uri));
documents.onDidClose((e) => {
  cache.delete(e.document.uri);
  states.delete(e.document.uri);
  clearTimeout(pending.get(e.document.uri));
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});
connection.onDidChangeWatchedFiles(() => {
  cache.clear();
  for (const d of documents.all()) schedule(d.uri);
});

const at = (
  uri: string,
  line: number,
  character: number,
): { a: Analysis; offset: number } | undefined => {
  const a = analysisOf(uri);
  return a ? { a, offset: a.lines.offset(line, character) } : undefined;
};

connection.onCompletion(
  guard('completion', [], (p) => {
    const x = at(p.textDocument.uri, p.position.line, p.position.character);
    return x ? complete(x.a, x.offset, process.env) : [];
  }),
);
connection.onHover(
  guard('hover', null, (p) => {
    const x = at(p.textDocument.uri, p.position.line, p.position.character);
    return x ? hover(x.a, x.offset) : null;
  }),
);
connection.onDefinition(
  guard('definition', [], (p) => {
    const x = at(p.textDocument.uri, p.position.line, p.position.character);
    return x ? definition(x.a, x.offset) : [];
  }),
);
connection.onReferences(
  guard('references', [], (p) => {
    const x = at(p.textDocument.uri, p.position.line, p.position.character);
    return x ? references(x.a, x.offset, p.context.includeDeclaration) : [];
  }),
);
connection.onPrepareRename(
  guard('prepareRename', null, (p) => {
    const x = at(p.textDocument.uri, p.position.line, p.position.character);
    return x ? prepareRename(x.a, x.offset) : null;
  }),
);
connection.onRenameRequest(
  guard('rename', null, (p) => {
    const x = at(p.textDocument.uri, p.position.line, p.position.character);
    return x ? rename(x.a, x.offset, p.newName) : null;
  }),
);
connection.onCodeAction(
  guard('codeAction', [], (p) => {
    const a = analysisOf(p.textDocument.uri);
    return a ? codeActions(a, p.context.diagnostics) : [];
  }),
);
connection.onDocumentSymbol(
  guard('documentSymbol', [], (p) => {
    const a = analysisOf(p.textDocument.uri);
    return a ? documentSymbols(a) : [];
  }),
);
connection.onFoldingRanges(
  guard('foldingRanges', [], (p) => {
    const a = analysisOf(p.textDocument.uri);
    return a ? foldingRanges(a) : [];
  }),
);

process.on('uncaughtException', (e) => log(`uncaught: ${e.stack ?? e.message}`));
documents.listen(connection);
connection.listen();
