/** The run toolbar and view controls. */
import { useState } from 'react';
import { Legend } from './Legend';
import { VSCodeButton, VSCodeDropdown, VSCodeOption, VSCodeTextField } from './toolkit';

export interface ToolbarProps {
  trusted: boolean;
  direction: 'RIGHT' | 'DOWN';
  focus: boolean;
  problems: number;
  onRunAll(): void;
  onStop(): void;
  onPlan(): void;
  onAddTask(): void;
  onDirection(d: 'RIGHT' | 'DOWN'): void;
  onFocus(): void;
  history: boolean;
  onHistory(): void;
  onSearch(q: string): void;
  onFit(): void;
}

const value = (e: Event | React.FormEvent<HTMLElement>): string =>
  (e.target as HTMLInputElement | null)?.value ?? '';

export function Toolbar(p: ToolbarProps) {
  const [query, setQuery] = useState('');
  return (
    <div className="toolbar" role="toolbar">
      <VSCodeButton
        id="run-all"
        appearance="primary"
        disabled={!p.trusted}
        title={p.trusted ? 'Run the pipeline' : 'Running is disabled in a restricted window'}
        onClick={p.onRunAll}
      >
        <span slot="start" className="codicon codicon-play" />{' '}
        <span className="label">Run all</span>
      </VSCodeButton>
      <VSCodeButton id="stop" appearance="secondary" title="Stop the run" onClick={p.onStop}>
        <span slot="start" className="codicon codicon-debug-stop" />{' '}
        <span className="label">Stop</span>
      </VSCodeButton>
      <VSCodeButton
        id="plan"
        appearance="secondary"
        title="What would run, and why"
        onClick={p.onPlan}
      >
        <span slot="start" className="codicon codicon-list-ordered" />{' '}
        <span className="label">Plan</span>
      </VSCodeButton>
      <VSCodeButton id="add-task" appearance="secondary" title="Add a task" onClick={p.onAddTask}>
        <span slot="start" className="codicon codicon-add" />{' '}
        <span className="label">Add task</span>
      </VSCodeButton>
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
        <span slot="start" className="codicon codicon-target" />{' '}
        <span className="label">Focus</span>
      </VSCodeButton>
      <VSCodeButton
        id="history"
        appearance={p.history ? 'primary' : 'secondary'}
        title="Recent runs and their timeline"
        onClick={p.onHistory}
      >
        <span slot="start" className="codicon codicon-history" />{' '}
        <span className="label">History</span>
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
        <span className="problems" title="Problems in this pipeline">
          {p.problems} problem{p.problems === 1 ? '' : 's'}
        </span>
      )}
    </div>
  );
}
