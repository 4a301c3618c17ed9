/** The toolbar's partition picker: whose states the nodes show (default: the latest), newest first. */
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
  const listed = view.keys.slice(-LISTED).reverse();
  // A partition picked from a strip that is older than the list is listed too.
  if (view.picked && !listed.includes(view.picked)) listed.push(view.picked);
  return (
    <VSCodeDropdown
      id="partition-picker"
      title="The partition whose states the nodes show"
      value={view.picked ?? ''}
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
