/** Task logs in the panel: asked from the host, and asked again when a task whose log is shown finishes a new run. */
import { useCallback, useMemo, useRef } from 'react';
import type { HostToWebview } from '../../../core/protocol/webview';
import { post } from '../vscodeApi';

export interface LogControls {
  show(task: string): void;
  /** Feed every host message. */
  onMessage(m: HostToWebview): void;
}

export function useLogs(): LogControls {
  /** Tasks whose log the panel holds (the store replaces them with a note when a run starts). */
  const shown = useRef(new Set<string>());
  const show = useCallback((task: string) => post({ type: 'task/showLog', task }), []);
  const onMessage = useCallback((m: HostToWebview) => {
    if (m.type === 'task/log') shown.current.add(m.task);
    else if (
      m.type === 'run/event' &&
      m.event.event === 'task_finished' &&
      shown.current.has(m.event.task)
    )
      post({ type: 'task/showLog', task: m.event.task });
  }, []);
  return useMemo(() => ({ show, onMessage }), [show, onMessage]);
}
