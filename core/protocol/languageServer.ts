/**
 * The boundary between the extension and the language server besides LSP itself.
 * How the language server's Node process is started (by the extension, and by bench/lsp.mjs so
 * that it measures what ships): small young-generation semi-spaces keep the resident memory of a
 * server holding a large pipeline ~40 MB lower at the same latency (bench/RESULTS.md).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2'];
