/** The toolbar's status filter: show only tasks in the chosen states (the rest dimmed, never moved), "3 of 40 shown", cleared in one click. */
import { useEffect, useRef, useState } from 'react';
import { GROUPS, type GroupId } from '../filter/statusFilter';
import type { StatusFilterView } from '../hooks/useStatusFilter';
import { VSCodeButton, VSCodeCheckbox } from './toolkit';

export function StatusFilter({ view, narrow }: { view: StatusFilterView; narrow: boolean }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  // A click elsewhere or Escape closes the list.
  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (
        e instanceof KeyboardEvent ? e.key === 'Escape' : !box.current?.contains(e.target as Node)
      )
        setOpen(false);
    };
    window.addEventListener('pointerdown', close);
    window.addEventListener('keydown', close);
    return () => {
      window.removeEventListener('pointerdown', close);
      window.removeEventListener('keydown', close);
    };
  }, [open]);
  const active = view.filter.length > 0;
  const toggle = (id: GroupId, on: boolean) =>
    view.setFilter(on ? [...view.filter, id] : view.filter.filter((x) => x !== id));
  return (
    <div className="status-filter" ref={box}>
      <VSCodeButton
        id="status-filter"
        appearance={active ? 'primary' : 'secondary'}
        aria-expanded={open}
        title="Show only tasks in the chosen states (the others are dimmed)"
        onClick={() => setOpen(!open)}
      >
        {narrow ? (
          <span className="codicon codicon-filter" aria-label="Filter" />
        ) : (
          <>
            <span slot="start" className="codicon codicon-filter" /> Filter
          </>
        )}
      </VSCodeButton>
      {active && (
        <span className="filter-count" role="status" id="filter-count">
          {view.count} of {view.total} shown
          <button
            id="filter-clear"
            className="icon-button"
            title="Clear the filter: show every task"
            aria-label="Clear the filter"
            onClick={() => view.setFilter([])}
          >
            <span className="codicon codicon-close" />
          </button>
        </span>
      )}
      {open && (
        <div className="filter-list" role="group" aria-label="Show tasks that are">
          {GROUPS.map((g) => (
            <VSCodeCheckbox
              key={g.id}
              data-group={g.id}
              checked={view.filter.includes(g.id)}
              onChange={(e) => toggle(g.id, (e.target as HTMLInputElement).checked)}
            >
              <span className={`filter-swatch status-${g.statuses[0]}`} /> {g.label} (
              {view.perGroup[g.id]})
            </VSCodeCheckbox>
          ))}
        </div>
      )}
    </div>
  );
}
