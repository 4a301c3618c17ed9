/** Graph edits as intents to the host: connect, disconnect, add and (confirmed) delete tasks. */
import type { Connection, Edge } from '@xyflow/react';
import { useCallback, useState } from 'react';
import type { GraphIntent } from '../../../core/edit/intents';
import type { State } from '../store';
import { post } from '../vscodeApi';

export interface EditingControls {
  intent(i: GraphIntent): void;
  onConnect(c: Connection): void;
  onEdgesDelete(edges: Edge[]): void;
  addTask(): void;
  /** The task waiting for the user's "Delete" confirmation, if any. */
  confirmDelete: string | null;
  askDelete(task: string | null): void;
}

export function useEditing(state: State): EditingControls {
  const [confirmDelete, askDelete] = useState<string | null>(null);
  const { graph, selected, version } = state;
  const intent = useCallback(
    (i: GraphIntent) => post({ type: 'intent', intent: i, version }),
    [version],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (c.source && c.target && c.source !== c.target && !c.source.startsWith('source:'))
        intent({ kind: 'addDependency', task: c.target, needs: c.source });
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
    intent({
      kind: 'addTask',
      name: `task_${i}`,
      run: 'echo "TODO"',
      ...(selected && names.has(selected) && !selected.startsWith('source:')
        ? { needs: [selected] }
        : {}),
    });
  }, [graph, intent, selected]);

  return { intent, onConnect, onEdgesDelete, addTask, confirmDelete, askDelete };
}
