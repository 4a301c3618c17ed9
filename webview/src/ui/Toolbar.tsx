/** The run toolbar and view controls. */
import { useEffect, useState } from 'react';
import type { StatusFilterView } from '../hooks/useStatusFilter';
import { post } from '../vscodeApi';
import { Legend } from './Legend';
import { StatusFilter } from './StatusFilter';
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
  children?: React.ReactNode;
}

const value = (e: Event | React.FormEvent<HTMLElement>): string =>
  (e.target as HTMLInputElement | null)?.value ?? '';

/** True while the page is narrower than `px` (the graph beside the YAML): buttons show icons only. */
function useNarrow(px = 720): boolean {
  const query = `(max-width: ${px}px)`;
  const [narrow, setNarrow] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const on = () => setNarrow(m.matches);
    m.addEventListener('change', on);
    return () => m.removeEventListener('change', on);
  }, [query]);
  return narrow;
}

export function Toolbar(p: ToolbarProps) {
  const [query, setQuery] = useState('');
  const narrow = useNarrow();
  // An icon and its words; in a narrow pane the icon alone (the words stay in the tooltip).
  const button = (icon: string, words: string) =>
    narrow ? (
      <span className={`codicon codicon-${icon}`} aria-label={words} />
    ) : (
      <>
        <span slot="start" className={`codicon codicon-${icon}`} /> {words}
      </>
    );
  return (
    <div className="toolbar" role="toolbar">
      <VSCodeButton
        id="run-all"
        appearance="primary"
        disabled={!p.trusted}
        title={p.trusted ? 'Run the pipeline' : 'Running is disabled in a restricted window'}
        onClick={p.onRunAll}
      >
        {button('play', 'Run all')}
      </VSCodeButton>
      {p.onRunWithParams && (
        <VSCodeButton
          id="run-params"
          appearance="secondary"
          disabled={!p.trusted}
          title={
            p.trusted
              ? 'Run with params… (asks for each param, remembered for this pipeline)'
              : 'Running is disabled in a restricted window'
          }
          onClick={p.onRunWithParams}
        >
          {button('symbol-parameter', 'Params…')}
        </VSCodeButton>
      )}
      <VSCodeButton
        id="stop"
        appearance="secondary"
        disabled={!p.running}
        title={p.running ? 'Stop the run' : 'Nothing is running'}
        onClick={p.onStop}
      >
        {button('debug-stop', 'Stop')}
      </VSCodeButton>
      <VSCodeButton
        id="plan"
        appearance="secondary"
        title="What would run, and why"
        onClick={p.onPlan}
      >
        {button('list-ordered', 'Plan')}
      </VSCodeButton>
      <VSCodeButton id="add-task" appearance="secondary" title="Add a task" onClick={p.onAddTask}>
        {button('add', 'Add task')}
      </VSCodeButton>
      {p.children}
      <VSCodeDropdown
        id="direction"
        value={p.direction}
        onChange={(e) => p.onDirection(value(e) === 'DOWN' ? 'DOWN' : 'RIGHT')}
      >
        <VSCodeOption value="RIGHT">Left → right</VSCodeOption>
        <VSCodeOption value="DOWN">Top ↓ down</VSCodeOption>
      </VSCodeDropdown>
      <VSCodeButton
        id="focus"
        appearance={p.focus ? 'primary' : 'secondary'}
        title="Show only the upstream and downstream of the selected task"
        onClick={p.onFocus}
      >
        {button('target', 'Focus')}
      </VSCodeButton>
      <StatusFilter view={p.statusFilter} narrow={narrow} />
      <VSCodeButton
        id="history"
        appearance={p.history ? 'primary' : 'secondary'}
        title="Recent runs and their timeline"
        onClick={p.onHistory}
      >
        {button('history', 'History')}
      </VSCodeButton>
      <VSCodeButton id="fit" appearance="icon" title="Fit the graph" onClick={p.onFit}>
        <span className="codicon codicon-screen-full" />
      </VSCodeButton>
      <Legend />
      <VSCodeTextField
        id="search"
        placeholder="Find a task"
        value={query}
        onInput={(e) => setQuery(value(e))}
        onKeyDown={(e: React.KeyboardEvent) => {
          if (e.key === 'Enter') p.onSearch(query);
        }}
      >
        <span slot="start" className="codicon codicon-search" />
      </VSCodeTextField>
      {p.problems > 0 && (
        <button
          id="problems"
          className="problems icon-button"
          title="Show the problems of this pipeline"
          onClick={() => post({ type: 'view/problems' })}
        >
          {p.problems} problem{p.problems === 1 ? '' : 's'}
        </button>
      )}
    </div>
  );
}
