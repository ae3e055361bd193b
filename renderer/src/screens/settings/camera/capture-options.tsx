import { useEffect, useState } from 'react';
import { CAMERA_LIMITS, photoTypeSchema, rawTypeSchema, videoTypeSchema } from '../../../../../shared/domain';
import { Field } from '../../../components/field';
import { useCameraSettings, useStores } from '../../../store/context';
import type { SettingsDraft } from '../../../store/camera-settings/draft';
import { OPTION_LABELS } from '../../../store/camera-settings/selectors';
import { fieldId } from './field-ids';
import { SelectField } from './select-field';

const TYPE_LABELS: Record<string, string> = {
  jpg: 'JPEG (.jpg)',
  png: 'PNG (.png)',
  dng: 'DNG (.dng)',
  tiff: 'TIFF (.tiff)',
  mp4: 'MP4 (.mp4)',
};
const optionsOf = (values: readonly string[]) => values.map((value) => ({ value, label: TYPE_LABELS[value] ?? value }));

/** File types, where captures go, when cameras rest, and whether streams need credentials. */
export function CaptureOptions({ disabled }: { disabled: boolean }) {
  const { cameraSettings, client } = useStores();
  const draft = useCameraSettings((s) => s.draft);
  const errors = useCameraSettings((s) => s.fieldErrors);
  const storedDir = useCameraSettings((s) => s.settings?.photoDir ?? null);
  // The captures list names the photo directory in use; with none stored that is the default. One entry is enough.
  const [dirInUse, setDirInUse] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void client.listCaptures({ limit: 1 }).then((result) => {
      if (live && result.ok) setDirInUse(result.value.photoDir);
    });
    return () => {
      live = false;
    };
  }, [client, storedDir]);
  if (!draft) return null;

  const set = <K extends 'photoType' | 'rawType' | 'videoType' | 'photoDir' | 'idleTimeoutSeconds' | 'requireAuthForStreaming'>(
    key: K,
    value: SettingsDraft[K],
  ) => cameraSettings.getState().setOption(key, value);
  const defaultDir = storedDir === '' && dirInUse ? dirInUse : 'the photos folder in CamPanel’s data directory';

  return (
    <section className="section" aria-labelledby="capture-options-heading">
      <h2 id="capture-options-heading" className="section__title">
        Captures and streaming
      </h2>
      <div className="camera-fields">
        <SelectField
          id={fieldId('photoType')}
          label={OPTION_LABELS.photoType}
          value={draft.photoType}
          options={optionsOf(photoTypeSchema.options)}
          onValueChange={(v) => set('photoType', v as SettingsDraft['photoType'])}
          error={errors.photoType}
          disabled={disabled}
        />
        <SelectField
          id={fieldId('videoType')}
          label={OPTION_LABELS.videoType}
          value={draft.videoType}
          options={optionsOf(videoTypeSchema.options)}
          onValueChange={(v) => set('videoType', v as SettingsDraft['videoType'])}
          error={errors.videoType}
          disabled={disabled}
        />
        <SelectField
          id={fieldId('rawType')}
          label={OPTION_LABELS.rawType}
          value={draft.rawType}
          options={optionsOf(rawTypeSchema.options)}
          onValueChange={(v) => set('rawType', v as SettingsDraft['rawType'])}
          hint="DNG needs a Raspberry Pi camera’s sensor data; TIFF works with every camera."
          error={errors.rawType}
          disabled={disabled}
        />
        <Field
          id={fieldId('idleTimeoutSeconds')}
          label={OPTION_LABELS.idleTimeoutSeconds}
          type="number"
          inputMode="numeric"
          min={0}
          max={CAMERA_LIMITS.maxIdleSeconds}
          step={1}
          value={draft.idleTimeoutSeconds}
          onValueChange={(v) => set('idleTimeoutSeconds', v)}
          hint="Seconds without a viewer or recording before a camera stops to save power; it starts again when asked. 0 = always on."
          error={errors.idleTimeoutSeconds}
          disabled={disabled}
        />
      </div>
      <Field
        id={fieldId('photoDir')}
        label={OPTION_LABELS.photoDir}
        value={draft.photoDir}
        onValueChange={(v) => set('photoDir', v)}
        spellCheck={false}
        autoComplete="off"
        placeholder="Default"
        hint={
          <>
            Empty = {storedDir === '' && dirInUse ? <code>{defaultDir}</code> : defaultDir}. Each camera’s captures go into a <code>camera_N</code> folder
            inside it.
          </>
        }
        error={errors.photoDir}
        disabled={disabled}
      />
      <div className={errors.requireAuthForStreaming ? 'check field--invalid' : 'check'}>
        <input
          id={fieldId('requireAuthForStreaming')}
          type="checkbox"
          className="check__box"
          checked={draft.requireAuthForStreaming}
          onChange={(e) => set('requireAuthForStreaming', e.target.checked)}
          aria-describedby="require-auth-hint"
          disabled={disabled}
        />
        <div>
          <label htmlFor={fieldId('requireAuthForStreaming')} className="check__label">
            {OPTION_LABELS.requireAuthForStreaming}
          </label>
          <p id="require-auth-hint" className="field__hint">
            On: stream and snapshot URLs need a user’s name and password (HTTP Basic), a token header or <code>?token=</code>.
            Off: anyone who can reach the API port can watch.
          </p>
          {errors.requireAuthForStreaming && <p className="field__error">{errors.requireAuthForStreaming}</p>}
        </div>
      </div>
    </section>
  );
}
