/**
 * One editable property: a draft while typing, committed on Enter or blur. The draft never
 * outlives what it was typed for: a value the host refused, or one that fails `parse`, is
 * rolled back at once to the document's value.
 */
import { useEffect, useRef, useState } from 'react';
import { VSCodeTextArea, VSCodeTextField } from '../toolkit';

export type Parsed<T> = { value: T } | { error: string };

export interface FieldProps<T> {
  id: string;
  label: string;
  /** The value in the document. */
  initial: string;
  multiline?: boolean;
  parse(text: string): Parsed<T>;
  onCommit(value: T): void;
  /** Bumped on each `edit/rejected` from the host. */
  rejections: number;
}

const text = (e: Event | React.FormEvent<HTMLElement>): string =>
  (e.target as HTMLInputElement | null)?.value ?? '';

export function Field<T>(p: FieldProps<T>) {
  const [draft, setDraft] = useState(p.initial);
  const [error, setError] = useState<string | null>(null);
  /** True between sending a value and the host's answer (a new document value or a refusal). */
  const sent = useRef(false);
  const initial = useRef(p.initial);
  initial.current = p.initial;

  // The document changed (the edit landed, or the text was edited): show its value.
  useEffect(() => {
    setDraft(p.initial);
    sent.current = false;
  }, [p.initial]);
  // The host refused an edit: if it was this field's, back to the document's value.
  useEffect(() => {
    if (!sent.current) return;
    sent.current = false;
    setDraft(initial.current);
  }, [p.rejections]);

  const commit = (): void => {
    if (draft === p.initial) return;
    const r = p.parse(draft);
    if ('error' in r) {
      setError(r.error);
      setDraft(p.initial);
      return;
    }
    setError(null);
    sent.current = true;
    p.onCommit(r.value);
  };
  const props = {
    id: p.id,
    value: draft,
    onInput: (e: Event | React.FormEvent<HTMLElement>) => setDraft(text(e)),
    onBlur: commit,
  };
  return (
    <>
      {p.multiline ? (
        <VSCodeTextArea {...props} rows={3} resize="vertical">
          {p.label}
        </VSCodeTextArea>
      ) : (
        <VSCodeTextField
          {...props}
          onKeyDown={(e: React.KeyboardEvent) => {
            if (e.key === 'Enter') commit();
          }}
        >
          {p.label}
        </VSCodeTextField>
      )}
      {error && (
        <p className="field-error" role="alert" id={`${p.id}-error`}>
          {error}
        </p>
      )}
    </>
  );
}
