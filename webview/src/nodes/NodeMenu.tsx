/** A node's "more" menu: run up to here, run with downstream, rerun, show log, open the full log, go to YAML. */
import { useEffect, useRef, useState } from 'react';
import type { WebviewToHost } from '../../../core/protocol/webview';
import { post } from '../vscodeApi';

const ITEMS: {
  id: string;
  label: string;
  icon: string;
  message: (task: string) => WebviewToHost;
}[] = [
  {
    id: 'upstream',
    label: 'Run up to here',
    icon: 'debug-step-into',
    message: (task) => ({ type: 'run/task', task, mode: 'upstream' }),
  },
  {
    id: 'downstream',
    label: 'Run with downstream',
    icon: 'run-below',
    message: (task) => ({ type: 'run/task', task, mode: 'downstream' }),
  },
  {
    id: 'rerun',
    label: 'Rerun (force)',
    icon: 'refresh',
    message: (task) => ({ type: 'run/task', task, mode: 'rerun' }),
  },
  {
    id: 'log',
    label: 'Show log',
    icon: 'output',
    message: (task) => ({ type: 'task/showLog', task }),
  },
  {
    id: 'fullLog',
    label: 'Open full log',
    icon: 'go-to-file',
    message: (task) => ({ type: 'task/openLog', task }),
  },
  {
    id: 'yaml',
    label: 'Go to YAML',
    icon: 'go-to-file',
    message: (task) => ({ type: 'task/reveal', task }),
  },
];

/** A partitioned task's items: the host asks which partition, or which range. */
const PARTITION_ITEMS: typeof ITEMS = [
  {
    id: 'runPartition',
    label: 'Run partition…',
    icon: 'play',
    message: (task) => ({ type: 'run/partition', task }),
  },
  {
    id: 'backfill',
    label: 'Backfill…',
    icon: 'calendar',
    message: (task) => ({ type: 'run/backfill', task }),
  },
];

/** `partition`: the partition the node shows, when the task is partitioned. */
export function NodeMenu({ task, partition }: { task: string; partition?: string | undefined }) {
  const items =
    partition === undefined
      ? ITEMS
      : [
          ...PARTITION_ITEMS.map((i) =>
            i.id === 'runPartition'
              ? { ...i, message: () => ({ type: 'run/partition' as const, task, partition }) }
              : i,
          ),
          ...ITEMS,
        ];
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: PointerEvent) => {
      if (!ref.current?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('pointerdown', close, true);
    return () => window.removeEventListener('pointerdown', close, true);
  }, [open]);
  return (
    <div className="node-menu-anchor nodrag" ref={ref}>
      <button
        className="icon-button"
        title="More actions"
        aria-label={`More actions: ${task}`}
        aria-haspopup="menu"
        aria-expanded={open}
        data-action="menu"
        onClick={() => setOpen((o) => !o)}
      >
        <span className="codicon codicon-ellipsis" />
      </button>
      {open && (
        <div className="node-menu" role="menu">
          {items.map((item) => (
            <button
              key={item.id}
              role="menuitem"
              data-menu={item.id}
              onClick={() => {
                setOpen(false);
                post(item.message(task));
              }}
            >
              <span className={`codicon codicon-${item.icon}`} /> {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
