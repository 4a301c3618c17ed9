/** The status colours, folded into one toggle in the toolbar so that it never covers the graph or its controls. */
import { useState } from 'react';

const LEGEND = [
  'pending',
  'queued',
  'running',
  'success',
  'failed',
  'complete',
  'upstream_failed',
  'cancelled',
  'timed_out',
  'will_run',
];

export function Legend() {
  const [open, setOpen] = useState(false);
  return (
    <div className={`legend${open ? ' open' : ''}`}>
      <button
        id="legend-toggle"
        className="icon-button"
        aria-expanded={open}
        title={open ? 'Hide the colour legend' : 'What the colours mean'}
        onClick={() => setOpen(!open)}
      >
        <span className="codicon codicon-symbol-color" /> <span className="label">Legend</span>
      </button>
      {open && (
        <div className="legend-list">
          {LEGEND.map((s) => (
            <span key={s} className={`legend-item status-${s}`}>
              <i /> {s === 'pending' ? 'pending, never run' : s.replace('_', ' ')}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
