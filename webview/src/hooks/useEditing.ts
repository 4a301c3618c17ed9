/** Graph edits as intents to the host: connect, disconnect (a clicked edge, then Delete), add and (confirmed) delete tasks. */
import type { Connection, Edge, OnConnectEnd } from '@xyflow/react';
import { type Dispatch, useCallback, useState } from 'react';
import type { GraphIntent } from '../../../core/edit/intents';
import type { Action, State } from '../store';
import { post } from '../vscodeApi';

export interface EditingControls {
  intent(i: GraphIntent): void;
  onConnect(c: Connection): void;
  /** A drag from a handle dropped on a node's body (not on its small handle) connects too. */
  onConnectEnd: OnConnectEnd;
  onEdgesDelete(edges: Edge[]): void;
  /** Adds a task; returns its name (the graph selects it once the host's new graph has it). */
  addTask(): string;
  /** The task waiting for the user's "Delete" confirmation, if any. */
  confirmDelete: string | null;
  askDelete(task: string | null): void;
  /** The `needs` edge a click picked (Delete removes it), if any. */
  selectedEdge: string | null;
  selectEdge(edge: Edge | null): void;
  /** Delete on the canvas: removes the picked edge; false when none is picked. */
  removeSelectedEdge(): boolean;
}

export function useEditing(state: State, dispatch: Dispatch<Action>): EditingControls {
  const [confirmDelete, askDelete] = useState<string | null>(null);
  const [picked, setPicked] = useState<Edge | null>(null);
  const { graph, selected, version } = state;
  const intent = useCallback(
    (i: GraphIntent) => {
      // A refusal said about an earlier edit is not left over the graph as if about this one.
      dispatch({ type: 'local/dismiss' });
      post({ type: 'intent', intent: i, version });
    },
    [dispatch, version],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (c.source && c.target && c.source !== c.target && !c.source.startsWith('source:'))
        intent({ kind: 'addDependency', task: c.target, needs: c.source });
    },
    [intent],
  );

  const onConnectEnd: OnConnectEnd = useCallback(
    (event, c) => {
      // Over a handle (valid or not), React Flow decided; elsewhere, look for a node under the pointer.
      if (c.isValid !== null || !c.fromNode) return;
      const at = 'changedTouches' in event ? event.changedTouches[0] : event;
      if (!at) return;
      const under = document
        .elementFromPoint(at.clientX, at.clientY)
        ?.closest('.react-flow__node')
        ?.getAttribute('data-id');
      const from = c.fromNode.id;
      if (!under || under === from) return;
      // Dragged from an output: the dropped-on task needs it; from an input: the reverse.
      const [task, needs] = c.fromHandle?.type === 'target' ? [from, under] : [under, from];
      if (!needs.startsWith('source:') && !task.startsWith('source:'))
        intent({ kind: 'addDependency', task, needs });
    },
    [intent],
  );

  const onEdgesDelete = useCallback(
    (edges: Edge[]) => {
      for (const e of edges)
        if ((e.data as { kind?: string } | undefined)?.kind === 'needs')
          intent({ kind: 'removeDependency', task: e.target, needs: e.source });
    },
    [intent],
  );

  const addTask = useCallback(() => {
    const names = new Set(graph?.nodes.map((n) => n.id));
    let i = 1;
    while (names.has(`task_${i}`)) i++;
    const name = `task_${i}`;
    intent({
      kind: 'addTask',
      name,
      run: 'echo "TODO"',
      ...(selected && names.has(selected) && !selected.startsWith('source:')
        ? { needs: [selected] }
        : {}),
    });
    return name;
  }, [graph, intent, selected]);

  // Only a `needs` edge is the YAML's to remove; a data edge comes from inputs and outputs.
  const selectEdge = useCallback(
    (e: Edge | null) =>
      setPicked(e && (e.data as { kind?: string } | undefined)?.kind === 'needs' ? e : null),
    [],
  );
  const removeSelectedEdge = useCallback(() => {
    if (!picked) return false;
    onEdgesDelete([picked]);
    setPicked(null);
    return true;
  }, [picked, onEdgesDelete]);

  return {
    intent,
    onConnect,
    onConnectEnd,
    onEdgesDelete,
    addTask,
    confirmDelete,
    askDelete,
    selectedEdge: picked?.id ?? null,
    selectEdge,
    removeSelectedEdge,
  };
}
