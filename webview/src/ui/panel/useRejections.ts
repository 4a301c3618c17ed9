/** Counts the host's `edit/rejected` answers, so that a field that sent a refused value can roll back. */
import { useEffect, useState } from 'react';
import type { HostToWebview } from '../../../../core/protocol/webview';

export function useRejections(): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    // Read-only: the app's own listener still handles (and shows) the rejection.
    const onMessage = (e: MessageEvent<HostToWebview | undefined>) => {
      if (e.data?.type === 'edit/rejected') setCount((n) => n + 1);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);
  return count;
}
