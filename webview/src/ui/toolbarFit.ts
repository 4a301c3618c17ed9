/** Which toolbar items fit one row: labels first, then the least-used items lose their words, then they go into the "…" menu. */

export interface FitItem {
  id: string;
  /** Higher keeps its words, and its place in the row, longer. */
  priority: number;
  /** Never moved into the menu (Run all, Stop). */
  pinned?: boolean;
  /** Has words beside its icon, that it can do without. */
  words?: boolean;
}

export interface Fit {
  /** Items drawn as icons only (their words stay in the tooltips and the menu). */
  iconOnly: string[];
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

type Mode = 'full' | 'compact';
/** An item's measured width in a mode, if it was ever drawn in the row in that mode. */
export type Widths = (mode: Mode, id: string) => number | undefined;

/** Unmeasured widths are guessed from the other mode (a label is about 2.5 icons wide). */
function widthOf(widths: Widths, mode: Mode, id: string): number {
  const w = widths(mode, id);
  if (w !== undefined) return w;
  const other = widths(mode === 'full' ? 'compact' : 'full', id);
  if (other === undefined) return 32;
  return mode === 'full' ? other * 2.5 : Math.min(other, 32);
}

/** Items used this often (Plan, Add task, the partition, History…) stay in the row before Run all keeps its words; view settings do not. */
const OUTRANKS_MAIN_WORDS = 50;

export function fitToolbar(items: FitItem[], widths: Widths, room: Room): Fit {
  const byPriority = [...items].sort((a, b) => a.priority - b.priority);
  const iconOnly = new Set<FitItem>();
  const hidden = new Set<FitItem>();
  const used = () =>
    items
      .filter((i) => !hidden.has(i))
      .reduce(
        (n, i) => n + widthOf(widths, iconOnly.has(i) ? 'compact' : 'full', i.id) + room.gap,
        0,
      );
  const search = () => (iconOnly.size ? room.search.compact : room.search.full);
  const more = () => (hidden.size ? room.more + room.gap : 0);
  const fits = () => used() + search() + more() <= room.width;
  // Words go first, least-used first; then the least-used items (view settings); then the words
  // of Run all and Stop, which a person reads rather than guesses from an icon; then the rest of
  // the items, least-used first.
  const steps: [FitItem[], Set<FitItem>][] = [
    [byPriority.filter((x) => x.words && !x.pinned), iconOnly],
    [byPriority.filter((x) => !x.pinned && x.priority < OUTRANKS_MAIN_WORDS), hidden],
    [byPriority.filter((x) => x.words && x.pinned), iconOnly],
    [byPriority.filter((x) => !x.pinned && x.priority >= OUTRANKS_MAIN_WORDS), hidden],
  ];
  for (const [group, into] of steps)
    for (const i of group) {
      if (fits()) break;
      into.add(i);
    }
  return {
    iconOnly: items.filter((i) => iconOnly.has(i)).map((i) => i.id),
    hidden: items.filter((i) => hidden.has(i)).map((i) => i.id),
  };
}
