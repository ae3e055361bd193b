import type { ReactNode, SelectHTMLAttributes } from 'react';
import { FieldFrame } from '../../../components/field';

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value' | 'id'> {
  id: string;
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onValueChange(value: string): void;
  hint?: ReactNode;
  error?: string | undefined;
}

/** A labelled select with its hint and error, laid out like the panel's text fields. */
export function SelectField({ id, label, value, options, onValueChange, hint, error, ...select }: SelectFieldProps) {
  return (
    <FieldFrame
      id={id}
      label={label}
      hint={hint}
      error={error}
      control={(tie) => (
        <select {...select} {...tie} value={value} onChange={(e) => onValueChange(e.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    />
  );
}
