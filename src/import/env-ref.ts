/**
 * The CLI's `env(NAME)`: a string that is exactly `env(NAME)` takes the environment variable's value
 * (pkg/config/decode_hooks.go). In supasync that is `${NAME}`. Names must be what supasync's
 * references accept.
 */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type EnvRef = { kind: 'none' } | { kind: 'env'; name: string } | { kind: 'invalid'; name: string };

export function envReference(value: string): EnvRef {
  if (!value.startsWith('env(') || !value.endsWith(')')) return { kind: 'none' };
  const name = value.slice(4, -1);
  return VARIABLE_NAME.test(name) ? { kind: 'env', name } : { kind: 'invalid', name };
}

/** Values the CLI decrypts with DOTENV_PRIVATE_KEY (dotenvx): secrets the import cannot read. */
export const isEncrypted = (value: string): boolean => value.startsWith('encrypted:');
