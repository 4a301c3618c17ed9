/** Picking the partition the nodes show: from the toolbar picker, or a click on a node's strip. */
import { type Dispatch, useCallback, useEffect } from 'react';
import type { Action } from '../store';
import { PICK_EVENT } from './PartitionStrip';
import './partitions.css';

export function usePartitionPick(dispatch: Dispatch<Action>): (key: string | null) => void {
  const pick = useCallback(
    (key: string | null) => dispatch({ type: 'local/pickPartition', key }),
    [dispatch],
  );
  useEffect(() => {
    const on = (e: Event) => pick(((e as CustomEvent).detail as string | undefined) ?? null);
    window.addEventListener(PICK_EVENT, on);
    return () => window.removeEventListener(PICK_EVENT, on);
  }, [pick]);
  return pick;
}
