/** A partitioned node's health strip: one cell per partition, coloured by state, an image drawn when on screen (thousands stay cheap). */
import { memo, type RefObject, useEffect, useRef, useState } from 'react';
import { CODES, stateWords } from './model';
import { cachedPicture, picture, type StripData, whenOnScreen } from './stripPicture';

export type { StripData } from './stripPicture';

/** Asks the picker to show this partition (the strip lives inside React Flow's node tree). */
export const PICK_EVENT = 'tributary:pick-partition';

/** The strip's width beside the node: the whole node (left → right), or left of the bottom handle (top-down). */
export const STRIP_WIDTH = { wide: 204, beside: 92 } as const;

function keyAtX(d: StripData, x: number, width: number): number {
  return Math.min(d.keys.length - 1, Math.max(0, Math.floor((x / width) * d.keys.length)));
}

/** "15 never run · 10 complete": counts per state, most first. */
function summaryOf(codes: Uint8Array): string {
  const counts = new Uint32Array(CODES.length);
  for (let i = 0; i < codes.length; i++) counts[codes[i]!]!++;
  return [...counts.keys()]
    .filter((c) => counts[c]! > 0)
    .sort((a, b) => counts[b]! - counts[a]! || a - b)
    .map((c) => `${counts[c]} ${stateWords(c)}`)
    .join(' · ');
}

export const PartitionStrip = memo(function PartitionStrip({
  task,
  data,
  vertical,
  anchor,
}: {
  task: string;
  data: StripData;
  /** Top-down layout: the bottom handle is in the middle, the strip stays left of it. */
  vertical: boolean;
  /** The node's element: the strip is made once it is on screen. */
  anchor: RefObject<HTMLElement | null>;
}) {
  const ref = useRef<HTMLImageElement>(null);
  const width = vertical ? STRIP_WIDTH.beside : STRIP_WIDTH.wide;
  // No element until the node is on screen: React Flow mounts every node once (to measure its
  // handles) before culling, and 1,000 strip images there cost more than the nodes' own DOM.
  const [seen, setSeen] = useState(() => cachedPicture(task, data, width) !== undefined);
  useEffect(() => {
    const node = anchor.current;
    if (seen || !node) return;
    // Observed from the second frame on: the nodes React Flow mounts only to measure are gone by
    // then, and observing all of them made that long first frame longer.
    let cancel = (): void => undefined;
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => {
        cancel = whenOnScreen(node, () => setSeen(true));
      });
    });
    return () => {
      cancelAnimationFrame(frame);
      cancel();
    };
  }, [seen, anchor]);
  // Drawn (or taken from the cache) whenever this task's states or the shown partition change.
  useEffect(() => {
    const img = ref.current;
    if (!img) return;
    let live = true;
    const version = data.version;
    picture(task, data, width, (url) => {
      // A newer version (or an unmounted strip) ignores a late picture.
      if (!live) return;
      // The states are read (and decoded) only now: a strip never on screen costs nothing.
      const summary = summaryOf(data.codes);
      img.src = url;
      img.dataset.summary = summary;
      img.alt = `${task}: ${data.keys.length} partitions: ${summary}`;
      img.title = `${data.keys.length} partitions: ${summary}`;
      img.dataset.drawn = String(version);
    });
    return () => {
      live = false;
    };
  }, [seen, task, data, data.version, data.shown, width]);
  if (!seen) return null;
  return (
    <img
      ref={ref}
      draggable={false}
      className={`partition-strip nodrag${vertical ? ' beside' : ''}`}
      style={{ width }}
      data-strip={task}
      data-partitions={data.keys.length}
      data-version={data.version}
      // Set with its picture (an alt text would show in its place until then).
      alt=""
      onMouseMove={(e) => {
        const c = e.currentTarget;
        const i = keyAtX(data, e.nativeEvent.offsetX, c.clientWidth);
        c.title = `${data.keys[i]}: ${stateWords(data.codes[i] ?? 0)} (click to show it)`;
      }}
      onClick={(e) => {
        e.stopPropagation();
        const c = e.currentTarget;
        const key = data.keys[keyAtX(data, e.nativeEvent.offsetX, c.clientWidth)];
        window.dispatchEvent(new CustomEvent(PICK_EVENT, { detail: key }));
      }}
    />
  );
});
