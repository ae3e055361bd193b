import { Field } from './field';
import { MessageLine, type FormMessage } from './notice';

/** The end of every form: its message line, then the primary submit button. */
export function FormFooter({ message, busy, submitLabel }: { message: FormMessage | null; busy: boolean; submitLabel: string }) {
  return (
    <>
      <MessageLine message={message} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}

interface NewPasswordFieldsProps {
  idPrefix: string;
  labels: { password: string; repeat: string };
  password: string;
  repeat: string;
  onPassword(value: string): void;
  onRepeat(value: string): void;
  errors: { password?: string | undefined; repeat?: string | undefined };
}

/** A new password and its repetition, as the first-run and change-password forms ask for them. */
export function NewPasswordFields({ idPrefix, labels, password, repeat, onPassword, onRepeat, errors }: NewPasswordFieldsProps) {
  return (
    <>
      <Field
        id={`${idPrefix}-password`}
        label={labels.password}
        type="password"
        autoComplete="new-password"
        value={password}
        onValueChange={onPassword}
        hint="At least 8 characters."
        error={errors.password}
      />
      <Field
        id={`${idPrefix}-repeat`}
        label={labels.repeat}
        type="password"
        autoComplete="new-password"
        value={repeat}
        onValueChange={onRepeat}
        error={errors.repeat}
      />
    </>
  );
}
