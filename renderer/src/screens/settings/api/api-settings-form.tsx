import { useEffect, useState, type FormEvent } from 'react';
import { RECOMMENDED_SECRETS_PATH, type ApiSettings } from '../../../../../shared/domain';
import { Field } from '../../../components/field';
import { MessageLine, type FormMessage } from '../../../components/notice';
import { CORRECT_MARKED_FIELDS, formErrorText, type FieldErrors } from '../../../forms/field-errors';
import { focusField, refusalPlan } from '../../../forms/refusal';
import { useApi, useSettings, useStores } from '../../../store/context';
import { savedMessage } from '../../../store/api/selectors';
import { apiSettings } from '../../../store/settings/selectors';
import { checkApiForm, toFormValues, type ApiFormValues } from './api-form';

const FIELD_IDS: Record<keyof ApiFormValues, string> = {
  secretsFilePath: 'api-secrets-path',
  accessTokenMinutes: 'api-access-minutes',
  refreshTokenDays: 'api-refresh-days',
  host: 'api-host',
  port: 'api-port',
};
const ORDER = Object.keys(FIELD_IDS) as (keyof ApiFormValues)[];

/** Mark the wrong fields and focus the first; every value stays as typed. */
function focusFirstWrong(fields: FieldErrors): void {
  const { focus } = refusalPlan(fields, ORDER, []);
  if (focus) focusField(FIELD_IDS[focus]);
}

/** The JWT form of the seed plus host and port. Submit stores; it never restarts the API. */
export function ApiSettingsForm() {
  const stored = useSettings((s) => apiSettings(s.view));
  const [message, setMessage] = useState<FormMessage | null>(null);
  const restarts = useApi((s) => s.restarts);
  // What Submit said (e.g. "Restart the API to apply them") is stale once a restart was tried, whatever its
  // outcome: the banner then tells what is true.
  useEffect(() => setMessage(null), [restarts]);
  if (!stored) return <p role="status">Loading settings…</p>;
  // Remounts when the stored settings change (own submit, import, another window).
  return <ApiSettingsFields key={JSON.stringify(stored)} stored={stored} message={message} setMessage={setMessage} />;
}

function ApiSettingsFields({
  stored,
  message,
  setMessage,
}: {
  stored: ApiSettings;
  message: FormMessage | null;
  setMessage(message: FormMessage | null): void;
}) {
  const { settings, api } = useStores();
  const recommended = useApi((s) => s.status?.recommendedPath ?? RECOMMENDED_SECRETS_PATH);
  const resolved = useApi((s) => s.status?.resolvedSecretsPath ?? null);
  const [values, setValues] = useState<ApiFormValues>(() => toFormValues(stored));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);

  const set = (key: keyof ApiFormValues) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setMessage(null);
    const checked = checkApiForm(values);
    if (!checked.ok) {
      setErrors(checked.fields);
      focusFirstWrong(checked.fields);
      setMessage({ tone: 'error', text: CORRECT_MARKED_FIELDS });
      return;
    }
    setErrors({});
    setBusy(true);
    const result = await settings.getState().setApiSettings(checked.settings);
    await api.getState().refreshStatus();
    setBusy(false);
    if (result.ok) {
      setMessage(savedMessage(api.getState().status, result.value.secretsFile));
    } else {
      setErrors(result.error.fields ?? {});
      focusFirstWrong(result.error.fields ?? {});
      setMessage({ tone: 'error', text: formErrorText(result.error) });
    }
  }

  return (
    <form className="form form--wide form--aside" onSubmit={submit} noValidate aria-label="API settings">
      <Field
        id="api-secrets-path"
        label="JWT Secret Key File Path"
        value={values.secretsFilePath}
        onValueChange={set('secretsFilePath')}
        spellCheck={false}
        autoComplete="off"
        error={errors.secretsFilePath}
        hint={
          <>
            <span className="nowrap">Recommended: {recommended}</span> · A blank path deactivates the API.
            {/* The stored path as the file system sees it, when that differs from how it was typed (e.g. "~"). */}
            {stored.secretsFilePath !== '' && resolved !== null && resolved !== stored.secretsFilePath && (
              <span className="field__resolved">
                The stored path is <code>{resolved}</code>
              </span>
            )}
          </>
        }
        aside={
          <button type="button" className="button" onClick={() => set('secretsFilePath')(recommended)}>
            Use recommended path
          </button>
        }
      />
      <div className="form__grid">
        <Field
          id="api-access-minutes"
          label="Access Token Expiration in Minutes"
          type="number"
          inputMode="numeric"
          min={0}
          max={999999}
          step={1}
          value={values.accessTokenMinutes}
          onValueChange={set('accessTokenMinutes')}
          hint="0 = no expiration"
          error={errors.accessTokenMinutes}
        />
        <Field
          id="api-refresh-days"
          label="Refresh Token Expiration in Days"
          type="number"
          inputMode="numeric"
          min={0}
          max={999999}
          step={1}
          value={values.refreshTokenDays}
          onValueChange={set('refreshTokenDays')}
          hint="0 = no expiration"
          error={errors.refreshTokenDays}
        />
        <Field
          id="api-host"
          label="API host"
          value={values.host}
          onValueChange={set('host')}
          spellCheck={false}
          autoComplete="off"
          hint="0.0.0.0 (the default, as in raspiCamSrv) = every network interface, so LAN clients reach the API; 127.0.0.1 = this machine only"
          error={errors.host}
        />
        <Field
          id="api-port"
          label="API port"
          type="number"
          inputMode="numeric"
          min={1}
          max={65535}
          step={1}
          value={values.port}
          onValueChange={set('port')}
          hint="1 to 65535"
          error={errors.port}
        />
      </div>
      <MessageLine message={message} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          Submit
        </button>
      </div>
    </form>
  );
}
