import type { InputHTMLAttributes, ReactNode } from 'react';

/** What a control inside a FieldFrame needs to be tied to its label, hint and error. */
export interface ControlProps {
  id: string;
  className: 'field__input';
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

interface FrameProps {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  /** The control, given the props that tie it to the label, hint and error. */
  control(props: ControlProps): ReactNode;
  /** Extra content beside the control (e.g. a button). */
  aside?: ReactNode;
}

/** A label, a control, its hint and its error, tied together through aria-describedby. */
export function FieldFrame({ id, label, hint, error, control, aside }: FrameProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <div className="field__row">
        {control({ id, className: 'field__input', 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
        {aside}
      </div>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'> {
  id: string;
  label: string;
  value: string;
  onValueChange(value: string): void;
  hint?: ReactNode;
  error?: string | undefined;
  /** Extra content beside the input (e.g. a button). */
  aside?: ReactNode;
}

/** A labelled input with its hint and error. */
export function Field({ id, label, value, onValueChange, hint, error, aside, ...input }: FieldProps) {
  return (
    <FieldFrame
      id={id}
      label={label}
      hint={hint}
      error={error}
      aside={aside}
      control={(tie) => <input {...input} {...tie} value={value} onChange={(e) => onValueChange(e.target.value)} />}
    />
  );
}
