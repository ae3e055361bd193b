/** What a form does after a refused submit: keep what was right, focus what was wrong. */
import type { FieldErrors } from './field-errors';

export interface RefusalPlan<K extends string> {
  /** The first field, in form order, with an error; null when no field is to blame. */
  focus: K | null;
  /** Password fields to empty: the wrong ones, and a repetition whose password is wrong (it repeats a value that must change). */
  clear: K[];
}

export function refusalPlan<K extends string>(
  errors: FieldErrors,
  order: readonly K[],
  secrets: readonly K[],
  repeatOf: Partial<Record<K, K>> = {},
): RefusalPlan<K> {
  const wrong = (field: K | undefined) => field !== undefined && errors[field] !== undefined;
  return {
    focus: order.find((field) => wrong(field)) ?? null,
    clear: secrets.filter((field) => wrong(field) || wrong(repeatOf[field])),
  };
}

/** Focus a field by its element id; done after the state update, so the field is enabled again. */
export function focusField(id: string): void {
  setTimeout(() => {
    const element = document.getElementById(id);
    if (element instanceof HTMLInputElement) element.focus();
  }, 0);
}
