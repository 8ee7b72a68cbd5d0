/**
 * Registry credentials the way the docker CLI keeps them: `$DOCKER_CONFIG/config.json` (default
 * `~/.docker/config.json`), where `credHelpers` names a helper per registry, `credsStore` a helper for
 * all, and `auths` holds `auth` (base64 `user:password`) or an `identitytoken`. A helper is the program
 * `docker-credential-<name>`, run with the argument `get` and the server address on stdin, answering
 * `{"ServerURL","Username","Secret"}`; it is started with execFile and an argument array, never a
 * shell. Secrets stay in memory: no message ever holds one.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credential {
  username: string;
  password: string;
  /** An OAuth2 refresh token (`identitytoken`, or a helper's `<token>` user): traded at the token endpoint. */
  identityToken?: string;
  /** Where it came from, for messages: `auths`, `credHelpers:ecr-login`, `credsStore:pass`. */
  from: string;
}

export interface DockerConfig {
  auths: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers: Record<string, string>;
  credsStore?: string;
  /** The file read, or null when there is none. */
  file: string | null;
  /** Why the file could not be used, when it exists but does not read. */
  problem?: string;
}

/** Docker Hub's credentials live under this key, whatever host name a reference uses. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB_HOSTS = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com']);

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG || join(env.HOME || homedir(), '.docker');
  return join(dir, 'config.json');
}

export async function readDockerConfig(env: NodeJS.ProcessEnv = process.env): Promise<DockerConfig> {
  const file = dockerConfigPath(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { auths: {}, credHelpers: {}, file: null };
  }
  try {
    const v = JSON.parse(text) as Record<string, unknown>;
    const obj = (x: unknown): Record<string, unknown> =>
      x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
    const auths: DockerConfig['auths'] = {};
    for (const [k, a] of Object.entries(obj(v.auths))) {
      const e = obj(a);
      auths[k] = {
        ...(typeof e.auth === 'string' ? { auth: e.auth } : {}),
        ...(typeof e.username === 'string' ? { username: e.username } : {}),
        ...(typeof e.password === 'string' ? { password: e.password } : {}),
        ...(typeof e.identitytoken === 'string' ? { identitytoken: e.identitytoken } : {}),
      };
    }
    const credHelpers: Record<string, string> = {};
    for (const [k, h] of Object.entries(obj(v.credHelpers))) if (typeof h === 'string') credHelpers[k] = h;
    return {
      auths,
      credHelpers,
      ...(typeof v.credsStore === 'string' && v.credsStore ? { credsStore: v.credsStore } : {}),
      file,
    };
  } catch (e) {
    return {
      auths: {},
      credHelpers: {},
      file,
      problem: `${file} is not valid JSON (${(e as Error).message.split('\n')[0]})`,
    };
  }
}

/** The keys a registry host may be stored under in `auths` and `credHelpers`. */
export function serverKeys(host: string): string[] {
  if (DOCKER_HUB_HOSTS.has(host)) return [DOCKER_HUB_KEY, 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  return [host, `https://${host}`, `http://${host}`, `https://${host}/v1/`, `https://${host}/v2/`];
}

/** The credential for a registry host, or undefined (anonymous). */
export async function credentialFor(
  host: string,
  config: DockerConfig,
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<Credential | undefined> {
  const keys = serverKeys(host);
  const helperKey = keys.find((k) => config.credHelpers[k] !== undefined);
  const helper = helperKey !== undefined ? config.credHelpers[helperKey]! : config.credsStore;
  if (helper !== undefined) {
    const serverUrl = DOCKER_HUB_HOSTS.has(host) ? DOCKER_HUB_KEY : host;
    const got = await runHelper(helper, serverUrl, opts);
    if (got) return { ...got, from: `${helperKey !== undefined ? 'credHelpers' : 'credsStore'}:${helper}` };
  }
  for (const k of keys) {
    const a = config.auths[k];
    if (!a) continue;
    if (a.identitytoken) return { username: '', password: '', identityToken: a.identitytoken, from: 'auths' };
    if (a.auth) {
      const decoded = Buffer.from(a.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1), from: 'auths' };
    }
    if (a.username !== undefined && a.password !== undefined)
      return { username: a.username, password: a.password, from: 'auths' };
  }
  return undefined;
}

/** A helper name is a program-name suffix: nothing that could leave the `docker-credential-` prefix. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export async function runHelper(
  helper: string,
  serverUrl: string,
  opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<Omit<Credential, 'from'> | undefined> {
  if (!HELPER_NAME.test(helper)) return undefined;
  const out = await new Promise<string | undefined>((resolve) => {
    const child = execFile(
      `docker-credential-${helper}`,
      ['get'],
      { timeout: opts.timeoutMs ?? 10_000, env: opts.env ?? process.env, windowsHide: true, maxBuffer: 1024 * 1024 },
      (err, stdout) => resolve(err ? undefined : stdout),
    );
    child.on('error', () => resolve(undefined));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(serverUrl);
  });
  if (out === undefined) return undefined;
  try {
    const v = JSON.parse(out) as { Username?: unknown; Secret?: unknown };
    if (typeof v.Secret !== 'string' || !v.Secret) return undefined;
    const user = typeof v.Username === 'string' ? v.Username : '';
    // The docker CLI's convention: the user `<token>` marks the secret as an identity (refresh) token.
    if (user === '<token>') return { username: '', password: '', identityToken: v.Secret };
    return { username: user, password: v.Secret };
  } catch {
    return undefined;
  }
}
