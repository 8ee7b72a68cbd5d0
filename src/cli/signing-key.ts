/**
 * Ed25519 keys on the command line, for every command that signs (`evidence attest`, `ledger
 * checkpoint`) or checks a signature (`evidence verify --pub`, `ledger verify --key`): `--key FILE`
 * (a PEM file) or `--key env:NAME` (the PEM in the variable NAME, as CI systems hand out secrets);
 * without the flag, a signing command takes `ROLLWRIGHT_SIGNING_KEY` when it is set. A key's text is
 * never printed: messages name the file or the variable.
 */
import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { InputError, UsageError } from '../core/errors.js';

export const SIGNING_KEY_ENV = 'ROLLWRIGHT_SIGNING_KEY';

export const KEY_HELP = `Keys are Ed25519 in PEM form, given as FILE or env:NAME (the PEM in variable NAME):
  openssl genpkey -algorithm ed25519 -out key.pem && openssl pkey -in key.pem -pubout -out key.pub`;

/** The PEM text a key reference names, and how to name it in messages. */
export async function readKeyText(
  ref: string,
  flag: string,
  env = process.env,
): Promise<{ pem: string; name: string }> {
  if (ref.startsWith('env:')) {
    const name = ref.slice('env:'.length);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
      throw new UsageError(`${flag} env:NAME: ${JSON.stringify(name)} is not a variable name`);
    const v = env[name];
    if (v === undefined || v.trim() === '') throw new UsageError(`${flag} env:${name}: the variable is not set`);
    return { pem: pemOf(v), name: `env:${name}` };
  }
  try {
    return { pem: await readFile(ref, 'utf8'), name: ref };
  } catch (e) {
    throw new InputError(`cannot read the file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, ref);
  }
}

/** A variable may hold the PEM with its line breaks written as `\n` (one-line secrets). */
function pemOf(v: string): string {
  return v.includes('\n') ? v : v.replace(/\\n/g, '\n');
}

/** The private key to sign with: `--key`, else ROLLWRIGHT_SIGNING_KEY, else none. */
export async function signingKey(flag: string | undefined, env = process.env): Promise<KeyObject | undefined> {
  const { loadPrivateKey } = await import('../ledger/attest.js');
  if (flag !== undefined) {
    const { pem, name } = await readKeyText(flag, '--key', env);
    return loadPrivateKey(pem, name);
  }
  const v = env[SIGNING_KEY_ENV];
  if (v === undefined || v.trim() === '') return undefined;
  return loadPrivateKey(pemOf(v), SIGNING_KEY_ENV);
}

/** Public keys to check signatures with (a private key gives its public half). */
export async function publicKeys(refs: readonly string[], flag: string, env = process.env): Promise<KeyObject[]> {
  const { loadPublicKey } = await import('../ledger/attest.js');
  const out: KeyObject[] = [];
  for (const ref of refs) {
    const { pem, name } = await readKeyText(ref, flag, env);
    out.push(loadPublicKey(pem, name));
  }
  return out;
}
