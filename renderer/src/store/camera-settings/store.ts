/**
 * Settings → Camera: the stored camera settings, the form's draft of them, the detected cameras, and
 * applying a change. A refresh (the 'settings' event) never overwrites edits that are not applied yet.
 */
import { createStore } from 'zustand/vanilla';
import type { PanelClient, PanelErrorBody, Result } from '../../../../shared/contract';
import type { AppliedCameraSettings, CameraSettings, DetectedCameraView } from '../../../../shared/domain';
import { CORRECT_MARKED_FIELDS, type FieldErrors } from '../../forms/field-errors';
import {
  canAddCamera,
  checkDraft,
  errorsWithoutCamera,
  newCamera,
  sameDraft,
  toDraft,
  withoutCamera,
  type CameraDraft,
  type OptionKey,
  type SettingsDraft,
} from './draft';

export interface CameraSettingsStoreState {
  /** As stored in the main process; null until the first refresh answered. */
  settings: CameraSettings | null;
  /** What the form shows; null until the first refresh answered. */
  draft: SettingsDraft | null;
  /** The stored settings changed elsewhere while the form held edits; the edits were kept. */
  changedElsewhere: boolean;
  /** Messages beside the fields, keyed by path ("cameras.0.width", "photoDir"). */
  fieldErrors: FieldErrors;
  applying: boolean;
  /** What the last Apply did, until the next edit. */
  lastApplied: AppliedCameraSettings | null;
  /** How many cameras were configured before the last Apply (its message names removed ones). */
  camerasBeforeApply: number;
  /** Why the last Apply was refused (here or by the main process). */
  applyError: PanelErrorBody | null;
  detected: DetectedCameraView[] | null;
  detecting: boolean;
  detectError: PanelErrorBody | null;
  loadError: PanelErrorBody | null;
  refresh(): Promise<void>;
  detect(): Promise<void>;
  setOption<K extends OptionKey>(key: K, value: SettingsDraft[K]): void;
  setCamera(num: number, patch: Partial<CameraDraft>): void;
  /** Adds a camera (a detected one, or the test pattern); false when the limit is reached. */
  addCamera(from?: DetectedCameraView): boolean;
  removeCamera(num: number): void;
  /** Back to the stored values. */
  revert(): void;
  /** Checks the draft with the shared schema, then sends the whole settings object. */
  apply(): Promise<Result<AppliedCameraSettings>>;
}

/** Whether the form holds edits that are not stored. */
export const isDirty = (state: Pick<CameraSettingsStoreState, 'settings' | 'draft'>): boolean =>
  state.settings !== null && state.draft !== null && !sameDraft(state.draft, toDraft(state.settings));

const withoutKeys = (fields: FieldErrors, keys: readonly string[]): FieldErrors =>
  Object.fromEntries(Object.entries(fields).filter(([key]) => !keys.includes(key)));

export function createCameraSettingsStore(client: PanelClient) {
  return createStore<CameraSettingsStoreState>()((set, get) => {
    /** An edit: the draft changes, the edited fields' messages and the last outcome leave. */
    const edit = (next: SettingsDraft, touched: readonly string[]) =>
      set((state) => ({
        draft: next,
        fieldErrors: withoutKeys(state.fieldErrors, touched),
        lastApplied: null,
        applyError: null,
      }));

    return {
      settings: null,
      draft: null,
      changedElsewhere: false,
      fieldErrors: {},
      applying: false,
      lastApplied: null,
      camerasBeforeApply: 0,
      applyError: null,
      detected: null,
      detecting: false,
      detectError: null,
      loadError: null,

      async refresh() {
        const result = await client.cameraSettings({});
        if (!result.ok) {
          set({ loadError: result.error });
          return;
        }
        const incoming = result.value;
        set((state) => {
          const fresh = { settings: incoming, loadError: null };
          const incomingDraft = toDraft(incoming);
          // A clean form (or one whose edits are exactly what is now stored) follows the stored values.
          if (!isDirty(state) || (state.draft && sameDraft(state.draft, incomingDraft))) {
            return { ...fresh, draft: incomingDraft, fieldErrors: {}, changedElsewhere: false };
          }
          const changed = state.settings !== null && !sameDraft(toDraft(state.settings), incomingDraft);
          return { ...fresh, changedElsewhere: state.changedElsewhere || changed };
        });
      },

      async detect() {
        set({ detecting: true, detectError: null });
        const result = await client.detectCameras({});
        if (result.ok) set({ detected: result.value, detecting: false });
        else set({ detectError: result.error, detecting: false });
      },

      setOption(key, value) {
        const draft = get().draft;
        if (draft) edit({ ...draft, [key]: value }, [key]);
      },

      setCamera(num, patch) {
        const draft = get().draft;
        const camera = draft?.cameras[num];
        if (!draft || !camera) return;
        const cameras = draft.cameras.map((c, i) => (i === num ? { ...camera, ...patch } : c));
        edit({ ...draft, cameras }, Object.keys(patch).map((key) => `cameras.${num}.${key}`).concat('cameras'));
      },

      addCamera(from) {
        const draft = get().draft;
        if (!draft || !canAddCamera(draft)) return false;
        edit({ ...draft, cameras: [...draft.cameras, newCamera(from)] }, ['cameras']);
        return true;
      },

      removeCamera(num) {
        const draft = get().draft;
        if (!draft || num < 0 || num >= draft.cameras.length) return;
        const fieldErrors = errorsWithoutCamera(get().fieldErrors, num);
        edit(withoutCamera(draft, num), ['cameras', 'activeCamera']);
        set({ fieldErrors: withoutKeys(fieldErrors, ['cameras', 'activeCamera']) });
      },

      revert() {
        const { settings } = get();
        if (!settings) return;
        set({ draft: toDraft(settings), fieldErrors: {}, changedElsewhere: false, lastApplied: null, applyError: null });
      },

      async apply() {
        const draft = get().draft;
        if (!draft) {
          const error: PanelErrorBody = { code: 'invalid', message: 'The camera settings are not loaded yet.' };
          set({ applyError: error });
          return { ok: false, error };
        }
        const checked = checkDraft(draft);
        if (!checked.ok) {
          const error: PanelErrorBody = { code: 'invalid', message: CORRECT_MARKED_FIELDS, fields: checked.fields };
          set({ fieldErrors: checked.fields, applyError: error, lastApplied: null });
          return { ok: false, error };
        }
        set({ applying: true, applyError: null, lastApplied: null, camerasBeforeApply: get().settings?.cameras.length ?? 0 });
        const result = await client.applyCameraSettings(checked.settings);
        if (result.ok) {
          const stored = result.value.settings;
          set({
            settings: stored,
            draft: toDraft(stored),
            fieldErrors: {},
            changedElsewhere: false,
            applying: false,
            lastApplied: result.value,
            loadError: null,
          });
        } else {
          // Nothing was stored: the draft stays as typed, the main process's messages go beside the fields.
          set({ applying: false, applyError: result.error, fieldErrors: result.error.fields ?? {} });
        }
        return result;
      },
    };
  });
}

export type CameraSettingsStore = ReturnType<typeof createCameraSettingsStore>;
