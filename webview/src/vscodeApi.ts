/** The host connection: typed messages out, view state kept by VS Code across reloads. */
import type { WebviewToHost } from '../../core/protocol/webview';

const api = acquireVsCodeApi();

export function post(message: WebviewToHost): void {
  api.postMessage(message);
}

export interface ViewState {
  /** Unset until chosen: the first layout then follows the pane's shape. */
  direction?: 'RIGHT' | 'DOWN';
  selected: string | null;
  viewport?: { x: number; y: number; zoom: number };
}

export function loadViewState(): ViewState {
  const s = api.getState() as Partial<ViewState> | undefined;
  return {
    ...(s?.direction === 'DOWN' || s?.direction === 'RIGHT' ? { direction: s.direction } : {}),
    selected: s?.selected ?? null,
    ...(s?.viewport ? { viewport: s.viewport } : {}),
  };
}

export function saveViewState(s: ViewState): void {
  api.setState(s);
}
