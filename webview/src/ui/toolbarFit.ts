/** Which toolbar items fit one row: labels first, then icons only, then the least-used items go into the "…" menu. */

export interface FitItem {
  id: string;
  /** Higher stays in the row longer. */
  priority: number;
  /** Never moved into the menu (Run all, Stop). */
  pinned?: boolean;
}

export interface Fit {
  /** Icons only (the words stay in the tooltips and the menu). */
  compact: boolean;
  /** Items shown in the "…" menu instead of the row. */
  hidden: string[];
}

export interface Room {
  /** The row's inner width. */
  width: number;
  /** Space between items. */
  gap: number;
  /** Kept for the search field (it shrinks to this), with labels and icons only. */
  search: { full: number; compact: number };
  /** The "…" button's width. */
  more: number;
}

/** An item's measured width in a mode, if it was ever drawn in the row in that mode. */
export type Widths = (mode: 'full' | 'compact', id: string) => number | undefined;

/** Unmeasured widths are guessed from the other mode (a label is about 2.5 icons wide). */
function widthOf(widths: Widths, mode: 'full' | 'compact', id: string): number {
  const w = widths(mode, id);
  if (w !== undefined) return w;
  const other = widths(mode === 'full' ? 'compact' : 'full', id);
  if (other === undefined) return 32;
  return mode === 'full' ? other * 2.5 : Math.min(other, 32);
}

export function fitToolbar(items: FitItem[], widths: Widths, room: Room): Fit {
  const sum = (mode: 'full' | 'compact', ids: FitItem[]) =>
    ids.reduce((n, i) => n + widthOf(widths, mode, i.id) + room.gap, 0);
  if (sum('full', items) + room.search.full <= room.width) return { compact: false, hidden: [] };
  if (sum('compact', items) + room.search.compact <= room.width)
    return { compact: true, hidden: [] };
  // Least-used first out, until the rest, the search field and "…" fit.
  const out = items.filter((i) => !i.pinned).sort((a, b) => a.priority - b.priority);
  const shown = new Set(items);
  const budget = room.width - room.search.compact - room.more - room.gap;
  for (const i of out) {
    if (sum('compact', [...shown]) <= budget) break;
    shown.delete(i);
  }
  return { compact: true, hidden: items.filter((i) => !shown.has(i)).map((i) => i.id) };
}
