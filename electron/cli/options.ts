import { InvalidArgumentError, Option } from 'commander';

/** Thrown for usage problems found after parsing (exit 2). */
export class UsageError extends Error {}

export const parseInteger = (min: number, max: number) => (value: string) => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
  const n = Number(value);
  if (n < min || n > max) throw new InvalidArgumentError(`must be from ${min} to ${max}`);
  return n;
};

export const dataDirOption = () =>
  new Option('--data-dir <dir>', 'data directory (default: $CAMPANEL_DATA_DIR or ~/.config/CamPanel)');

/** A command's output goes to stdout as it is (token generate prints only the token). */
export const print = (text: string): void => void process.stdout.write(text);
