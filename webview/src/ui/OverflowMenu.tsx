/** The toolbar's "…" button and the menu of the actions that did not fit the row, as VS Code's own editor toolbars do. */
import { type ReactNode, useEffect, useRef, useState } from 'react';

/** What takes the focus in the menu: each item's own control. */
const ACTIONS = '[data-menu-item] :is(button, vscode-button, vscode-dropdown)';

/** `on`: the menu's items that are switched on (a dot on "…" says so while it is closed). */
export function OverflowMenu({ children, on = [] }: { children: ReactNode; on?: string[] }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  // A click elsewhere or Escape closes it (Escape gives the focus back to "…").
  useEffect(() => {
    if (!open) return;
    const onPointer = (e: Event) => {
      if (!box.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    window.addEventListener('pointerdown', onPointer);
    window.addEventListener('keydown', onKey);
    // The first action takes the focus, for the keyboard.
    box.current?.querySelector<HTMLElement>(ACTIONS)?.focus();
    return () => {
      window.removeEventListener('pointerdown', onPointer);
      window.removeEventListener('keydown', onKey);
    };
  }, [open]);
  return (
    <div className="toolbar-more" ref={box}>
      <button
        id="toolbar-more"
        ref={button}
        className="icon-button"
        aria-haspopup="true"
        aria-expanded={open}
        aria-label={on.length ? `More actions (${on.join(', ')} on)` : 'More actions'}
        title={on.length ? `More actions (${on.join(', ')} on)` : 'More actions'}
        onClick={() => setOpen(!open)}
      >
        <span className="codicon codicon-ellipsis" />
        {on.length > 0 && <span className="toolbar-more-on" />}
      </button>
      {open && (
        <div
          id="toolbar-menu"
          className="toolbar-menu"
          role="group"
          aria-label="More actions"
          // An action done closes the menu; a picker, the filter or the legend stays open to be used.
          onClick={(e) => {
            if (!(e.target as HTMLElement).closest('[data-closes]')) return;
            setOpen(false);
            // The action's button goes with the menu: the focus stays on "…", not on the page.
            button.current?.focus();
          }}
          // Up and down move between the actions, as in VS Code's menus.
          onKeyDown={(e) => {
            if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
            // A dropdown's own arrows choose its option.
            if (document.activeElement?.tagName === 'VSCODE-DROPDOWN') return;
            const all = [...e.currentTarget.querySelectorAll<HTMLElement>(ACTIONS)];
            const at = all.findIndex(
              (x) => x === document.activeElement || x.contains(document.activeElement),
            );
            const next = all[(at + (e.key === 'ArrowDown' ? 1 : all.length - 1)) % all.length];
            if (!next) return;
            e.preventDefault();
            next.focus();
          }}
        >
          {children}
        </div>
      )}
    </div>
  );
}
