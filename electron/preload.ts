/**
 * The only bridge between the panel page and the main process. It exposes one named function per
 * contract channel — no ipcRenderer, no generic invoke — and `satisfies PanelClient` makes the
 * compiler refuse a missing, extra or mistyped function.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { ChannelName, PanelClient, PanelEvent, RequestOf, ResponseOf, Result } from '../shared/contract.js';
import { EVENT_CHANNEL, ipcChannel } from '../shared/ipc-names.js';

const call =
  <K extends ChannelName>(name: K) =>
  (request: RequestOf<K>): Promise<Result<ResponseOf<K>>> =>
    ipcRenderer.invoke(ipcChannel(name), request);

const campanel = {
  transport: 'electron' as const,
  sessionState: call('sessionState'),
  createAdmin: call('createAdmin'),
  login: call('login'),
  logout: call('logout'),
  changePassword: call('changePassword'),
  listUsers: call('listUsers'),
  addUser: call('addUser'),
  removeUser: call('removeUser'),
  resetPassword: call('resetPassword'),
  unlockUser: call('unlockUser'),
  getSettings: call('getSettings'),
  setGeneralSettings: call('setGeneralSettings'),
  setApiSettings: call('setApiSettings'),
  exportConfig: call('exportConfig'),
  checkImport: call('checkImport'),
  importConfig: call('importConfig'),
  apiStatus: call('apiStatus'),
  restartApi: call('restartApi'),
  rotateKey: call('rotateKey'),
  generateToken: call('generateToken'),
  listTokens: call('listTokens'),
  revokeToken: call('revokeToken'),
  copySecret: call('copySecret'),
  cameraStatus: call('cameraStatus'),
  restartPipeline: call('restartPipeline'),
  takePhoto: call('takePhoto'),
  startRecording: call('startRecording'),
  stopRecording: call('stopRecording'),
  switchCamera: call('switchCamera'),
  cameraSettings: call('cameraSettings'),
  detectCameras: call('detectCameras'),
  applyCameraSettings: call('applyCameraSettings'),
  listCaptures: call('listCaptures'),
  deleteCapture: call('deleteCapture'),
  systemOverview: call('systemOverview'),
  saveConfigEntry: call('saveConfigEntry'),
  deleteConfigEntry: call('deleteConfigEntry'),
  revealConfigEntry: call('revealConfigEntry'),
  setSystemDefaults: call('setSystemDefaults'),
  randomKey: call('randomKey'),
  systemDocumentation: call('systemDocumentation'),
  registerNode: call('registerNode'),
  removeNode: call('removeNode'),
  secretsLock: call('secretsLock'),
  unlockSecrets: call('unlockSecrets'),
  protectSecrets: call('protectSecrets'),
  unprotectSecrets: call('unprotectSecrets'),
  notificationSettings: call('notificationSettings'),
  saveNotificationSettings: call('saveNotificationSettings'),
  sendTestMail: call('sendTestMail'),
  subscribe(listener: (event: PanelEvent) => void): () => void {
    // The raw IpcRendererEvent never reaches the page: only the payload does.
    const forward = (_event: IpcRendererEvent, payload: PanelEvent) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
  watchConnection(listener: (connected: boolean) => void): () => void {
    // IPC answers as long as the app runs; the main process says when it is closing.
    const forward = (_event: IpcRendererEvent, payload: PanelEvent) => {
      if (payload.topic === 'closing') listener(false);
    };
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  },
} satisfies PanelClient;

contextBridge.exposeInMainWorld('campanel', campanel);
