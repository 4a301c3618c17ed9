/** The webview's state from the host: the reducer, the message listener and the `ready` handshake. */
import { type Dispatch, useEffect, useReducer, useRef } from 'react';
import type { HostToWebview } from '../../../core/protocol/webview';
import { type Action, initialState, reduce, type State } from '../store';
import { post } from '../vscodeApi';

/** `onMessage` sees each host message after the reducer (e.g. to jump to a node or ask again). */
export function useHost(
  selected: string | null,
  onMessage: (m: HostToWebview) => void,
): [State, Dispatch<Action>] {
  const [state, dispatch] = useReducer(reduce, selected, initialState);
  const listener = useRef(onMessage);
  listener.current = onMessage;
  useEffect(() => {
    const handler = (e: MessageEvent<HostToWebview>) => {
      if (!e.data || typeof e.data !== 'object' || !('type' in e.data)) return;
      dispatch(e.data);
      listener.current(e.data);
    };
    window.addEventListener('message', handler);
    post({ type: 'ready' });
    return () => window.removeEventListener('message', handler);
  }, []);
  return [state, dispatch];
}
