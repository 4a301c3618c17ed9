/** The History panel: open or closed, and asking the host for runs when it opens and after each run. */
import { useCallback, useRef, useState } from 'react';
import type { HostToWebview } from '../../../core/protocol/webview';
import { post } from '../vscodeApi';

export interface HistoryControls {
  open: boolean;
  toggle(): void;
  close(): void;
  /** Feed every host message: a finished run changes the history. */
  onMessage(m: HostToWebview): void;
}

export function useHistory(): HistoryControls {
  const [open, setOpen] = useState(false);
  const isOpen = useRef(false);
  isOpen.current = open;
  const toggle = useCallback(() => {
    if (!isOpen.current) post({ type: 'history/request' });
    setOpen((o) => !o);
  }, []);
  const close = useCallback(() => setOpen(false), []);
  const onMessage = useCallback((m: HostToWebview) => {
    if (m.type === 'run/event' && m.event.event === 'run_finished' && isOpen.current)
      post({ type: 'history/request' });
  }, []);
  return { open, toggle, close, onMessage };
}
