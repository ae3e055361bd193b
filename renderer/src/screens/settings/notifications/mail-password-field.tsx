import { LIMITS } from '../../../../../shared/domain';
import type { PasswordChoice } from './notifications-form';

interface MailPasswordFieldProps {
  choice: PasswordChoice;
  onChoice(choice: PasswordChoice): void;
  /** A password is stored in the secrets file (its value never reaches the panel). */
  passwordSet: boolean;
  /** Why the password cannot be stored or removed now, or null. */
  unavailable: string | null;
  error: string | undefined;
  disabled: boolean;
}

const ID = 'mail-password';

/**
 * The mail password, write-only. With one stored: "A password is stored" and Change / Remove; without: a field
 * to type one. Blank keeps what is stored. Laid out like a Field so that it lines up in the form.
 */
export function MailPasswordField({ choice, onChoice, passwordSet, unavailable, error, disabled }: MailPasswordFieldProps) {
  const typing = choice.mode === 'set' || (!passwordSet && choice.mode === 'keep');
  const hintId = `${ID}-hint`;
  const errorId = `${ID}-error`;
  const describedBy = [hintId, error ? errorId : null].filter(Boolean).join(' ');
  const value = choice.mode === 'set' ? choice.value : '';

  let hint: string;
  if (unavailable) hint = unavailable;
  else if (choice.mode === 'remove') hint = 'The stored password is removed when you save.';
  else if (passwordSet) hint = typing ? 'Blank keeps the stored password.' : 'Stored in the secrets file; it is never shown.';
  else hint = 'Stored in the secrets file, never shown again. Blank: no password.';

  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      {typing ? (
        <label className="field__label" htmlFor={ID}>
          Password
        </label>
      ) : (
        <span className="field__label">Password</span>
      )}
      <div className="field__row mail-password">
        {typing ? (
          <input
            id={ID}
            className="field__input"
            type="password"
            autoComplete="new-password"
            maxLength={LIMITS.password}
            value={value}
            onChange={(e) => onChoice({ mode: 'set', value: e.target.value })}
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy}
            disabled={disabled || unavailable !== null}
            // Mounted by "Change password": the cursor goes where the new one is typed.
            autoFocus={passwordSet}
          />
        ) : (
          <span className="mail-password__state">
            {choice.mode === 'remove' ? 'Removed when you save' : 'A password is stored'}
          </span>
        )}
        {passwordSet && choice.mode === 'keep' && (
          <span className="button-row">
            <button type="button" className="button" onClick={() => onChoice({ mode: 'set', value: '' })} disabled={disabled || unavailable !== null}>
              Change password
            </button>
            <button
              type="button"
              className="button button--danger-outline"
              onClick={() => onChoice({ mode: 'remove' })}
              disabled={disabled || unavailable !== null}
            >
              Remove password
            </button>
          </span>
        )}
        {passwordSet && choice.mode !== 'keep' && (
          <button type="button" className="button" onClick={() => onChoice({ mode: 'keep' })} disabled={disabled}>
            Keep stored password
          </button>
        )}
      </div>
      <p className={unavailable ? 'field__hint field__warning' : 'field__hint'} id={hintId}>
        {hint}
      </p>
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}
