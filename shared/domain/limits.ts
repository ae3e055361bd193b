/** Upper bounds for every string that crosses a boundary: the contract refuses oversized input before any handler runs. */
export const LIMITS = {
  userName: 64,
  password: 256,
  path: 1024,
  label: 100,
  host: 253,
  token: 4096,
  jti: 64,
  configJson: 256 * 1024,
  lifetimeMax: 999_999,
  mailAddress: 254,
} as const;
