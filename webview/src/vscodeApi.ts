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
  /** The status filter's chosen groups (webview/src/filter/statusFilter.ts); kept by its own saver. */
  statusFilter?: string[];
}

export function loadViewState(): ViewState {
  const s = api.getState() as Partial<ViewState> | undefined;
  return {
    ...(s?.direction === 'DOWN' || s?.direction === 'RIGHT' ? { direction: s.direction } : {}),
    selected: s?.selected ?? null,
    ...(s?.viewport ? { viewport: s.viewport } : {}),
    ...(Array.isArray(s?.statusFilter) ? { statusFilter: s.statusFilter } : {}),
  };
}

/** The view (direction, selection, viewport); the saved status filter stays as it is. */
export function saveViewState(s: ViewState): void {
  const old = api.getState() as Partial<ViewState> | undefined;
  api.setState({ ...(old?.statusFilter ? { statusFilter: old.statusFilter } : {}), ...s });
}

export function saveStatusFilter(statusFilter: string[]): void {
  const old = (api.getState() as Partial<ViewState> | undefined) ?? {};
  api.setState({ ...old, statusFilter });
}
