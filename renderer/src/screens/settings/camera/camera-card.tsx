import { useEffect, useState } from 'react';
import { CAMERA_LIMITS, TESTSRC_PATTERNS, cameraBackendSchema, type CameraBackend, type DetectedCameraView } from '../../../../../shared/domain';
import { Field } from '../../../components/field';
import type { FieldErrors } from '../../../forms/field-errors';
import { useStores } from '../../../store/context';
import { RESOLUTION_PRESETS, deviceForBackend, presetOf, resolutionText, type CameraDraft } from '../../../store/camera-settings/draft';
import { BACKEND_LABELS, CAMERA_FIELD_LABELS, cameraSummary } from '../../../store/camera-settings/selectors';
import { fieldId, focusFieldByKey } from './field-ids';
import { SelectField } from './select-field';

const OTHER = '__other__';

const BACKEND_OPTIONS = cameraBackendSchema.options.map((b) => ({ value: b, label: BACKEND_LABELS[b] }));

const RESOLUTION_OPTIONS = [
  ...RESOLUTION_PRESETS.map((p) => ({ value: `${p.width}x${p.height}`, label: resolutionText(p.width, p.height) })),
  { value: 'custom', label: 'Custom' },
];

const DEVICE_HINTS: Record<Exclude<CameraBackend, 'testsrc'>, string> = {
  v4l2: 'e.g. /dev/video0',
  rpicam: 'e.g. 0, as rpicam-vid --list-cameras numbers it',
};

interface CameraCardProps {
  num: number;
  camera: CameraDraft;
  active: boolean;
  errors: FieldErrors;
  detected: readonly DetectedCameraView[] | null;
  disabled: boolean;
  onRemove(num: number): void;
}

/** One configured camera as a collapsible card; a region named "Camera N" so that its fields can be found. */
export function CameraCard({ num, camera, active, errors, detected, disabled, onRemove }: CameraCardProps) {
  const { cameraSettings } = useStores();
  const key = (field: keyof CameraDraft) => `cameras.${num}.${field}`;
  const errorOf = (field: keyof CameraDraft) => errors[key(field)];
  // A refusal of the camera as a whole (e.g. it is recording) is keyed "cameras.N".
  const wholeError = errors[`cameras.${num}`];
  const errorCount = Object.keys(CAMERA_FIELD_LABELS).filter((f) => errorOf(f as keyof CameraDraft)).length + (wholeError ? 1 : 0);
  const [open, setOpen] = useState(true);
  // A refused field must be visible: open the card when it gets a message.
  useEffect(() => {
    if (errorCount > 0) setOpen(true);
  }, [errorCount]);

  const set = (patch: Partial<CameraDraft>) => cameraSettings.getState().setCamera(num, patch);
  const number = (field: 'width' | 'height' | 'fps' | 'jpegQuality', min: number, max: number, hint?: string) => (
    <Field
      id={fieldId(key(field))}
      label={CAMERA_FIELD_LABELS[field]}
      type="number"
      inputMode="numeric"
      min={min}
      max={max}
      step={field === 'width' || field === 'height' ? 2 : 1}
      value={camera[field]}
      onValueChange={(value) => set({ [field]: value })}
      error={errorOf(field)}
      hint={hint}
      disabled={disabled}
    />
  );

  return (
    <section className="camera-card" aria-label={`Camera ${num}`}>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary className="camera-card__summary">
          <span className="camera-card__title">Camera {num}</span>
          {active && <span className="camera-card__badge">Active</span>}
          <span className="camera-card__line">{cameraSummary(camera)}</span>
          {errorCount > 0 && <span className="camera-card__problems">{errorCount === 1 ? '1 problem' : `${errorCount} problems`}</span>}
        </summary>
        <div className="camera-card__body">
          {wholeError && (
            <p className="field__error" id={fieldId(`cameras.${num}`)}>
              {wholeError}
            </p>
          )}
          <div className="camera-fields">
            <SelectField
              id={fieldId(key('backend'))}
              label={CAMERA_FIELD_LABELS.backend}
              value={camera.backend}
              options={BACKEND_OPTIONS}
              onValueChange={(value) => {
                const backend = value as CameraBackend;
                set({ backend, device: deviceForBackend(backend, detected) });
              }}
              error={errorOf('backend')}
              disabled={disabled}
            />
            <DeviceField num={num} camera={camera} error={errorOf('device')} detected={detected} disabled={disabled} onDevice={(device) => set({ device })} />
            <SelectField
              id={`camera-settings-cameras-${num}-resolution`}
              label="Resolution"
              value={presetOf(camera)}
              options={RESOLUTION_OPTIONS}
              onValueChange={(value) => {
                const preset = RESOLUTION_PRESETS.find((p) => `${p.width}x${p.height}` === value);
                if (preset) set({ width: String(preset.width), height: String(preset.height) });
                else focusFieldByKey(key('width'));
              }}
              disabled={disabled}
            />
            {number('width', CAMERA_LIMITS.minSide, CAMERA_LIMITS.maxSide)}
            {number('height', CAMERA_LIMITS.minSide, CAMERA_LIMITS.maxSide)}
            {number('fps', 1, CAMERA_LIMITS.maxFps)}
            {number('jpegQuality', 1, 100)}
            {/* In the grid: beside JPEG quality rather than on a row of its own (800×480). */}
            <div className="camera-card__actions">
              <button type="button" className="button button--danger-outline" onClick={() => onRemove(num)} disabled={disabled}>
                Remove camera {num}
              </button>
            </div>
          </div>
        </div>
      </details>
    </section>
  );
}

interface DeviceFieldProps {
  num: number;
  camera: CameraDraft;
  error: string | undefined;
  detected: readonly DetectedCameraView[] | null;
  disabled: boolean;
  onDevice(device: string): void;
}

/**
 * The test pattern is chosen from a list. A real camera is chosen from the detected ones of its backend,
 * or typed ("Other…"); before detection, or when none was found, it is typed.
 */
function DeviceField({ num, camera, error, detected, disabled, onDevice }: DeviceFieldProps) {
  const id = fieldId(`cameras.${num}.device`);
  const [other, setOther] = useState(false);
  if (camera.backend === 'testsrc') {
    const patterns: string[] = [...TESTSRC_PATTERNS];
    if (!patterns.includes(camera.device)) patterns.unshift(camera.device);
    return (
      <SelectField
        id={id}
        label="Pattern"
        value={camera.device}
        options={patterns.map((p) => ({ value: p, label: p === '' ? '(none)' : p }))}
        onValueChange={onDevice}
        error={error}
        disabled={disabled}
      />
    );
  }
  const hint = DEVICE_HINTS[camera.backend];
  const found = (detected ?? []).filter((d) => d.backend === camera.backend);
  const typed = (label: string, fieldHint: string) => (
    <Field
      id={id}
      label={label}
      value={camera.device}
      onValueChange={onDevice}
      spellCheck={false}
      autoComplete="off"
      hint={fieldHint}
      error={error}
      disabled={disabled}
    />
  );
  if (found.length === 0) return typed('Device', hint);
  const isOther = other || !found.some((d) => d.device === camera.device);
  return (
    <>
      <SelectField
        // The refused value's message and focus go to whichever control holds it.
        id={isOther ? `${id}-detected` : id}
        label="Device"
        value={isOther ? OTHER : camera.device}
        options={[...found.map((d) => ({ value: d.device, label: d.model ? `${d.device} · ${d.model}` : d.device })), { value: OTHER, label: 'Other…' }]}
        onValueChange={(value) => {
          setOther(value === OTHER);
          if (value !== OTHER) onDevice(value);
        }}
        error={isOther ? undefined : error}
        disabled={disabled}
      />
      {isOther && typed(camera.backend === 'v4l2' ? 'Path' : 'Number', hint)}
    </>
  );
}
