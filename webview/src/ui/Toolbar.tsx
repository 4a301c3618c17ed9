/** The run toolbar and view controls: one row that fits its pane (labels, then icons only, then a "…" menu for the least-used actions). */
import { type ReactNode, useState } from 'react';
import type { StatusFilterView } from '../hooks/useStatusFilter';
import { post } from '../vscodeApi';
import { Legend } from './Legend';
import { OverflowMenu } from './OverflowMenu';
import { StatusFilter } from './StatusFilter';
import type { FitItem } from './toolbarFit';
import { useToolbarFit } from './useToolbarFit';
import { VSCodeButton, VSCodeDropdown, VSCodeOption, VSCodeTextField } from './toolkit';

export interface ToolbarProps {
  trusted: boolean;
  /** A run of this pipeline is going (Stop is offered only then). */
  running: boolean;
  direction: 'RIGHT' | 'DOWN';
  focus: boolean;
  problems: number;
  onRunAll(): void;
  /** Offered when the pipeline declares params: the host asks for each one, then runs. */
  onRunWithParams?: () => void;
  onStop(): void;
  onPlan(): void;
  onAddTask(): void;
  onDirection(d: 'RIGHT' | 'DOWN'): void;
  onFocus(): void;
  history: boolean;
  onHistory(): void;
  onSearch(q: string): void;
  onFit(): void;
  /** Show only tasks in chosen states. */
  statusFilter: StatusFilterView;
  /** Extra controls after the run buttons (the partition picker). */
  children?: ReactNode;
}

const value = (e: Event | React.FormEvent<HTMLElement>): string =>
  (e.target as HTMLInputElement | null)?.value ?? '';

/** A toolbar item: drawn in the row (icons only when `compact`) or, when it does not fit, in the menu. */
interface Item extends FitItem {
  /** A click on it in the menu closes the menu (an action, not a picker). */
  closes?: boolean;
  /** Switched on (Focus, a filter): what "…" says when the item is in the menu. */
  on?: string | false;
  render(compact: boolean, inMenu: boolean): ReactNode;
}

/** An icon and its words; icons only in a compact row (the words stay in the tooltip). */
const label = (icon: string, words: string, compact: boolean) =>
  compact ? (
    <span className={`codicon codicon-${icon}`} aria-label={words} />
  ) : (
    <>
      <span slot="start" className={`codicon codicon-${icon}`} /> {words}
    </>
  );

export function Toolbar(p: ToolbarProps) {
  const [query, setQuery] = useState('');
  const restricted = 'Running is disabled in a restricted window';
  // Priorities: what a person needs most stays in the row longest.
  const items: Item[] = [
    {
      id: 'run-all',
      words: true,
      priority: 100,
      pinned: true,
      closes: true,
      render: (c) => (
        <VSCodeButton
          id="run-all"
          appearance="primary"
          disabled={!p.trusted}
          title={p.trusted ? 'Run the pipeline' : restricted}
          onClick={p.onRunAll}
        >
          {label('play', 'Run all', c)}
        </VSCodeButton>
      ),
    },
    ...(p.onRunWithParams
      ? [
          {
            id: 'run-params',
            words: true,
            priority: 60,
            closes: true,
            render: (c: boolean) => (
              <VSCodeButton
                id="run-params"
                appearance="secondary"
                disabled={!p.trusted}
                title={
                  p.trusted
                    ? 'Run with params… (asks for each param, remembered for this pipeline)'
                    : restricted
                }
                onClick={p.onRunWithParams}
              >
                {label('symbol-parameter', 'Params…', c)}
              </VSCodeButton>
            ),
          },
        ]
      : []),
    {
      id: 'stop',
      words: true,
      priority: 99,
      pinned: true,
      closes: true,
      render: (c) => (
        <VSCodeButton
          id="stop"
          appearance="secondary"
          disabled={!p.running}
          title={p.running ? 'Stop the run' : 'Nothing is running'}
          onClick={p.onStop}
        >
          {label('debug-stop', 'Stop', c)}
        </VSCodeButton>
      ),
    },
    {
      id: 'plan',
      words: true,
      priority: 55,
      closes: true,
      render: (c) => (
        <VSCodeButton
          id="plan"
          appearance="secondary"
          title="What would run, and why"
          onClick={p.onPlan}
        >
          {label('list-ordered', 'Plan', c)}
        </VSCodeButton>
      ),
    },
    {
      id: 'add-task',
      words: true,
      // Above the view settings: beside the YAML (about 540 px) it stays in the row.
      priority: 52,
      closes: true,
      render: (c) => (
        <VSCodeButton
          id="add-task"
          appearance="secondary"
          title="Add a task"
          // A double click adds one task: its second click would name the same new task again.
          onClick={(e) => e.detail <= 1 && p.onAddTask()}
        >
          {label('add', 'Add task', c)}
        </VSCodeButton>
      ),
    },
    ...(p.children
      ? [
          {
            id: 'partition',
            priority: 50,
            render: () => (
              <label className="toolbar-field">
                <span className="menu-only">Partition</span>
                {p.children}
              </label>
            ),
          },
        ]
      : []),
    {
      id: 'direction',
      priority: 30,
      render: () => (
        <label className="toolbar-field">
          <span className="menu-only">Layout</span>
          <VSCodeDropdown
            id="direction"
            title="Lay the graph out"
            value={p.direction}
            onChange={(e) => p.onDirection(value(e) === 'DOWN' ? 'DOWN' : 'RIGHT')}
          >
            <VSCodeOption value="RIGHT">Left → right</VSCodeOption>
            <VSCodeOption value="DOWN">Top ↓ down</VSCodeOption>
          </VSCodeDropdown>
        </label>
      ),
    },
    {
      id: 'focus',
      words: true,
      priority: 45,
      on: p.focus && 'Focus',
      closes: true,
      render: (c) => (
        <VSCodeButton
          id="focus"
          appearance={p.focus ? 'primary' : 'secondary'}
          aria-pressed={p.focus}
          title="Show only the upstream and downstream of the selected task"
          onClick={p.onFocus}
        >
          {label('target', 'Focus', c)}
        </VSCodeButton>
      ),
    },
    {
      id: 'status-filter',
      words: true,
      priority: 70,
      on: p.statusFilter.filter.length > 0 && 'a filter',
      render: (c) => <StatusFilter view={p.statusFilter} narrow={c} />,
    },
    {
      id: 'history',
      words: true,
      priority: 80,
      closes: true,
      render: (c) => (
        <VSCodeButton
          id="history"
          appearance={p.history ? 'primary' : 'secondary'}
          aria-pressed={p.history}
          title="Recent runs and their timeline"
          onClick={p.onHistory}
        >
          {label('history', 'History', c)}
        </VSCodeButton>
      ),
    },
    {
      id: 'fit',
      priority: 75,
      closes: true,
      // An icon in the row; in the menu a button with its words, as the others there.
      render: (_, inMenu) => (
        <VSCodeButton
          id="fit"
          appearance={inMenu ? 'secondary' : 'icon'}
          title="Fit the graph"
          aria-label="Fit the graph"
          onClick={p.onFit}
        >
          {inMenu ? (
            label('screen-full', 'Fit the graph', false)
          ) : (
            <span className="codicon codicon-screen-full" />
          )}
        </VSCodeButton>
      ),
    },
    { id: 'legend', priority: 20, words: true, render: () => <Legend /> },
    ...(p.problems > 0
      ? [
          {
            id: 'problems',
            words: true,
            priority: 90,
            closes: true,
            render: (c: boolean) => (
              <button
                id="problems"
                className="problems icon-button"
                title="Show the problems of this pipeline"
                aria-label={`${p.problems} problem${p.problems === 1 ? '' : 's'}`}
                onClick={() => post({ type: 'view/problems' })}
              >
                {c && <span className="codicon codicon-error" />} {p.problems}
                {!c && ` problem${p.problems === 1 ? '' : 's'}`}
              </button>
            ),
          },
        ]
      : []),
  ];
  const { ref, fit } = useToolbarFit(items);
  const inMenu = items.filter((i) => fit.hidden.includes(i.id));
  const inRow = items.filter((i) => !fit.hidden.includes(i.id));
  const search = (
    <VSCodeTextField
      id="search"
      key="search"
      placeholder="Find a task"
      title="Find a task by name (Enter)"
      value={query}
      onInput={(e) => setQuery(value(e))}
      onKeyDown={(e: React.KeyboardEvent) => {
        if (e.key === 'Enter') p.onSearch(query);
      }}
    >
      <span slot="start" className="codicon codicon-search" />
    </VSCodeTextField>
  );
  // The problem count keeps its place at the end of the row, after the search field.
  const problems = inRow.find((i) => i.id === 'problems');
  const row = (i: Item) => {
    const compact = fit.iconOnly.includes(i.id);
    return (
      <div
        key={i.id}
        data-item={i.id}
        className="toolbar-item"
        {...(compact ? { 'data-compact': '' } : {})}
      >
        {i.render(compact, false)}
      </div>
    );
  };
  return (
    <div ref={ref} className="toolbar" role="toolbar">
      {inRow.filter((i) => i !== problems).map(row)}
      {search}
      {problems && row(problems)}
      {inMenu.length > 0 && (
        <OverflowMenu on={inMenu.flatMap((i) => (i.on ? [i.on] : []))}>
          {inMenu.map((i) => (
            <div
              key={i.id}
              data-menu-item={i.id}
              className="toolbar-menu-item"
              {...(i.closes ? { 'data-closes': '' } : {})}
            >
              {i.render(false, true)}
            </div>
          ))}
        </OverflowMenu>
      )}
    </div>
  );
}
