/** The status filter: chosen groups kept per file in the webview state (across reloads), and the tasks they show. */
import { useCallback, useMemo, useState } from 'react';
import {
  applyFilter,
  cleanFilter,
  type FilterResult,
  type GroupId,
  NO_TASKS,
} from '../filter/statusFilter';
import { type State, statusOf } from '../store';
import { loadViewState, saveStatusFilter } from '../vscodeApi';

export interface StatusFilterView extends FilterResult {
  filter: GroupId[];
  setFilter(f: GroupId[]): void;
}

export function useStatusFilter(state: State): StatusFilterView {
  const [filter, set] = useState<GroupId[]>(() => cleanFilter(loadViewState().statusFilter));
  const setFilter = useCallback((f: GroupId[]) => {
    const clean = cleanFilter(f);
    set(clean);
    saveStatusFilter(clean);
  }, []);
  const result = useMemo(
    () =>
      state.graph ? applyFilter(state.graph, (t) => statusOf(state, t).status, filter) : NO_TASKS,
    // Statuses change in place with runTick (and with the plan, last states, the shown run).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [state.graph, state.runTick, state.plan, filter],
  );
  return { ...result, filter, setFilter };
}
