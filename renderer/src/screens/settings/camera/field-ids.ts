/** Element ids of the Camera tab's fields, from the keys refusals use ("cameras.0.width", "photoDir"). */
import type { FieldErrors } from '../../../forms/field-errors';

export const fieldId = (key: string): string => `camera-settings-${key.replace(/\./g, '-')}`;

/** The first key, in form order, with a message; null when none of them has one. */
export const firstWrong = (order: readonly string[], errors: FieldErrors): string | null =>
  order.find((key) => errors[key] !== undefined) ?? null;

/** Focus a refused field (inputs and selects alike) after the render that shows its message. */
export function focusFieldByKey(key: string): void {
  setTimeout(() => {
    const element = document.getElementById(fieldId(key));
    if (element instanceof HTMLInputElement || element instanceof HTMLSelectElement) {
      element.scrollIntoView({ block: 'center' });
      element.focus();
    }
  }, 0);
}
