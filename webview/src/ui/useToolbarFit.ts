/** Measures the toolbar's row and its items (ResizeObserver) and says which fit: labels, icons only, or some in the "…" menu. */
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { type Fit, type FitItem, fitToolbar } from './toolbarFit';

/** The search field shrinks to this much (with labels shown, and icons only). */
const SEARCH = { full: 140, compact: 110 };
/** The "…" button. */
const MORE = 30;

export function useToolbarFit(items: FitItem[]) {
  const ref = useRef<HTMLDivElement>(null);
  const [fit, setFit] = useState<Fit>({ iconOnly: [], hidden: [] });
  // Widths seen in each mode, kept while an item is in the menu (to know when it fits again).
  const widths = useRef({ full: new Map<string, number>(), compact: new Map<string, number>() });
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const measure = useCallback(() => {
    const row = ref.current;
    if (!row) return;
    for (const el of row.querySelectorAll<HTMLElement>(':scope > [data-item]'))
      widths.current['compact' in el.dataset ? 'compact' : 'full'].set(
        el.dataset.item!,
        el.getBoundingClientRect().width,
      );
    const style = getComputedStyle(row);
    const next = fitToolbar(itemsRef.current, (m, id) => widths.current[m].get(id), {
      width: row.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
      gap: parseFloat(style.columnGap) || 0,
      search: SEARCH,
      more: MORE,
    });
    setFit((f) =>
      f.iconOnly.join() === next.iconOnly.join() && f.hidden.join() === next.hidden.join()
        ? f
        : next,
    );
  }, []);

  // One observer for the row and every item in it: a resize, a label that changes, a custom
  // element that upgrades, an item that comes or goes all measure again.
  const observer = useRef<ResizeObserver | null>(null);
  const observed = useRef(new WeakSet<Element>());
  useLayoutEffect(() => {
    const ro = new ResizeObserver(() => measure());
    observer.current = ro;
    if (ref.current) ro.observe(ref.current);
    return () => {
      ro.disconnect();
      observer.current = null;
      observed.current = new WeakSet();
    };
  }, [measure]);
  const ids = items.map((i) => `${i.id}:${i.priority}`).join();
  useLayoutEffect(() => {
    const row = ref.current;
    if (!row || !observer.current) return;
    for (const el of row.querySelectorAll(':scope > [data-item]'))
      if (!observed.current.has(el)) {
        observed.current.add(el);
        observer.current.observe(el);
      }
    // No measuring here: that would force a layout of the whole page (the graph's nodes too)
    // in the middle of a commit. A new item's first observation, and a size that changes with
    // the fit, call `measure` after the browser's own layout.
  }, [ids, fit]);
  return { ref, fit };
}
