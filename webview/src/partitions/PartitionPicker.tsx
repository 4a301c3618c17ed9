/** The toolbar's partition picker: whose states the nodes show (default: the latest), newest first. */
import { useEffect, useState } from 'react';
import { VSCodeDropdown, VSCodeOption } from '../ui/toolkit';
import type { PartitionView } from './model';

/** The newest this many partitions in the list (a strip click picks any). */
const LISTED = 200;

export function PartitionPicker({
  view,
  onPick,
}: {
  view: PartitionView;
  onPick(key: string | null): void;
}) {
  const latest = view.keys[view.keys.length - 1];
  // The long list is made when the page is idle or the pointer comes near: 200 toolkit options
  // (each a custom element with its own shadow DOM) cost the opening graph ~40 ms of script.
  const [full, setFull] = useState(false);
  useEffect(() => {
    if (full) return;
    const id = requestIdleCallback(() => setFull(true), { timeout: 3000 });
    return () => cancelIdleCallback(id);
  }, [full]);
  const listed = full ? view.keys.slice(-LISTED).reverse() : [];
  // A partition picked from a strip that is older than the list is listed too.
  if (view.picked && !listed.includes(view.picked)) listed.push(view.picked);
  return (
    <VSCodeDropdown
      id="partition-picker"
      title="The partition whose states the nodes show"
      value={view.picked ?? ''}
      onPointerEnter={() => setFull(true)}
      onFocus={() => setFull(true)}
      onChange={(e) => {
        const v = (e.target as HTMLSelectElement | null)?.value ?? '';
        onPick(v === '' ? null : v);
      }}
    >
      <VSCodeOption value="">{`Latest (${latest ?? 'none'})`}</VSCodeOption>
      {listed.map((k) => (
        <VSCodeOption key={k} value={k}>
          {k}
        </VSCodeOption>
      ))}
    </VSCodeDropdown>
  );
}
