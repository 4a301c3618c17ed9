/** The host connection: typed messages out, view state kept by VS Code across reloads. */
import type { WebviewToHost } from '../../core/protocol/webview';

const api = acquireVsCodeApi();

export function post(message: WebviewToHost): void {
  api.postMessage(message);
}

export interface ViewState {
  direction: 'RIGHT' | 'DOWN';
  selected: string | null;
  viewport?: { x: number; y: number; zoom: number };
}

export function loadViewState(): ViewState {
  const s = api.getState() as Partial<ViewState> | undefined;
  return {
    direction: s?.direction === 'DOWN' ? 'DOWN' : 'RIGHT',
    selected: s?.selected ?? null,
    ...(s?.viewport ? { viewport: s.viewport } : {}),
  };
}

export function saveViewState(s: ViewState): void {
  api.setState(s);
}
