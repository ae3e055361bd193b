import { z } from 'zod';
import {
  configKeySchema,
  newPassphraseSchema,
  nodeNameSchema,
  nodeUuidSchema,
  passphraseSchema,
  randomRequestSchema,
  saveConfigEntrySchema,
  secretsLockSchema,
  systemDefaultsSchema,
  systemOverviewSchema,
} from '../domain.js';
import { channel, empty } from './channel.js';

/** Settings → System (the panel's face of /system) and the secrets file's passphrase (Settings → API). */
export const systemChannels = {
  systemOverview: channel('admin', empty, systemOverviewSchema),
  /** Insert or update one entry; the type sticks (a password stays encrypted). */
  saveConfigEntry: channel('admin', saveConfigEntrySchema, systemOverviewSchema),
  deleteConfigEntry: channel('admin', z.strictObject({ key: z.string().min(1).max(255) }), systemOverviewSchema),
  /** One password-typed value in clear, for the admin who asked (audited, never logged). */
  revealConfigEntry: channel('admin', z.strictObject({ key: configKeySchema }), z.strictObject({ value: z.string() })),
  setSystemDefaults: channel('admin', systemDefaultsSchema, systemOverviewSchema),
  randomKey: channel('admin', randomRequestSchema, z.strictObject({ value: z.string() })),
  /** documentation.rst, as GET /system/documentation serves it. */
  systemDocumentation: channel('admin', empty, z.strictObject({ fileName: z.string(), text: z.string() })),
  registerNode: channel('admin', z.strictObject({ name: nodeNameSchema, uuid: nodeUuidSchema }), systemOverviewSchema),
  removeNode: channel('admin', z.strictObject({ uuid: z.string().min(1).max(64) }), systemOverviewSchema),

  secretsLock: channel('admin', empty, secretsLockSchema),
  /** Unlock a protected secrets file after start; the API then starts. */
  unlockSecrets: channel('admin', z.strictObject({ passphrase: passphraseSchema }), secretsLockSchema),
  /** Encrypt the secrets file with a passphrase (Settings → API). */
  protectSecrets: channel('admin', z.strictObject({ passphrase: newPassphraseSchema }), secretsLockSchema),
  /** Store the secrets file in clear again; the current passphrase confirms it. */
  unprotectSecrets: channel('admin', z.strictObject({ passphrase: passphraseSchema }), secretsLockSchema),
} as const;
