import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';

const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'ES256',
  'ES384',
  'EdDSA',
] as const;
export type AsymmetricAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/** Where verification keys come from. Each kind pins its own algorithm, never the token's. */
export type VerificationKey =
  | { kind: 'secret'; secret: Uint8Array }
  | { kind: 'public-key'; key: KeyObject; algorithm: AsymmetricAlgorithm }
  | { kind: 'jwks'; keySet: JSONWebKeySet; algorithm: AsymmetricAlgorithm }
  | { kind: 'jwks-url'; url: URL; algorithm: AsymmetricAlgorithm };

export interface IdentityConfig {
  key: VerificationKey;
  issuer?: string;
  audience?: string;
  clockToleranceSeconds: number;
  /** The longest `exp - iat` a token may have; a longer-lived token is refused (401). */
  maxTokenLifetimeSeconds: number;
  /** No key was configured outside production: `key` is a secret that dies with the process. */
  devMode: boolean;
}

export class IdentityConfigError extends Error {
  override readonly name = 'IdentityConfigError';
}

export const MIN_SECRET_BYTES = 32;
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
/** A day: access tokens live minutes to hours; anything longer is a leak waiting to happen. */
const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;
const KEY_SOURCES = ['JWT_SECRET', 'JWT_PUBLIC_KEY', 'JWT_JWKS_URL', 'JWT_JWKS_FILE'] as const;

export function identityConfigFromEnv(env: NodeJS.ProcessEnv): IdentityConfig {
  const configured = KEY_SOURCES.filter((name) => read(env, name) !== undefined);
  if (configured.length > 1) {
    throw new IdentityConfigError(
      `Configure only one token key source, found ${configured.join(' and ')}`,
    );
  }
  const common = {
    issuer: read(env, 'JWT_ISSUER'),
    audience: read(env, 'JWT_AUDIENCE'),
    clockToleranceSeconds: clockTolerance(read(env, 'JWT_CLOCK_TOLERANCE_SECONDS')),
    maxTokenLifetimeSeconds: maxTokenLifetime(read(env, 'JWT_MAX_LIFETIME_SECONDS')),
  };
  const algorithm = read(env, 'JWT_ALGORITHM');
  const [source] = configured;

  if (source === undefined) {
    if (env.NODE_ENV === 'production') {
      throw new IdentityConfigError(
        `No token verification key is configured. In production set one of ${KEY_SOURCES.join(', ')}`,
      );
    }
    if (algorithm !== undefined) {
      throw new IdentityConfigError(
        'JWT_ALGORITHM is set but no JWT_PUBLIC_KEY or JWKS is configured',
      );
    }
    return {
      ...common,
      key: { kind: 'secret', secret: randomBytes(MIN_SECRET_BYTES) },
      devMode: true,
    };
  }
  const value = read(env, source) as string;
  if (source === 'JWT_SECRET') {
    if (algorithm !== undefined && algorithm !== 'HS256') {
      throw new IdentityConfigError(
        `JWT_ALGORITHM must be HS256 (or unset) with JWT_SECRET, got ${algorithm}`,
      );
    }
    return { ...common, key: { kind: 'secret', secret: secretFrom(value) }, devMode: false };
  }
  const alg = asymmetricAlgorithm(algorithm);
  switch (source) {
    case 'JWT_PUBLIC_KEY':
      return {
        ...common,
        key: { kind: 'public-key', key: publicKey(value, alg), algorithm: alg },
        devMode: false,
      };
    case 'JWT_JWKS_FILE':
      return {
        ...common,
        key: { kind: 'jwks', keySet: keySetFile(value), algorithm: alg },
        devMode: false,
      };
    case 'JWT_JWKS_URL':
      return {
        ...common,
        key: { kind: 'jwks-url', url: keySetUrl(value), algorithm: alg },
        devMode: false,
      };
  }
}

function secretFrom(value: string, variable = 'JWT_SECRET'): Uint8Array {
  const secret = new TextEncoder().encode(value);
  if (secret.byteLength < MIN_SECRET_BYTES) {
    throw new IdentityConfigError(
      `${variable} must be at least ${MIN_SECRET_BYTES} bytes long for HS256, it has ${secret.byteLength}`,
    );
  }
  return secret;
}

// Blank values are treated as unset: compose files and CI often declare `JWT_SECRET=`.
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function clockTolerance(value: string | undefined): number {
  if (value === undefined) return DEFAULT_CLOCK_TOLERANCE_SECONDS;
  if (!/^\d+$/.test(value)) {
    throw new IdentityConfigError(
      `JWT_CLOCK_TOLERANCE_SECONDS must be a whole number of seconds, got "${value}"`,
    );
  }
  return Number(value);
}

function maxTokenLifetime(value: string | undefined): number {
  if (value === undefined) return DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  if (!/^\d{1,9}$/.test(value) || Number(value) < 60) {
    throw new IdentityConfigError(
      `JWT_MAX_LIFETIME_SECONDS must be a whole number of seconds from 60, got "${value}"`,
    );
  }
  return Number(value);
}

function asymmetricAlgorithm(value: string | undefined): AsymmetricAlgorithm {
  if (value === undefined) return 'RS256';
  const algorithm = ASYMMETRIC_ALGORITHMS.find((alg) => alg === value);
  if (!algorithm) {
    throw new IdentityConfigError(
      `JWT_ALGORITHM must be one of ${ASYMMETRIC_ALGORITHMS.join(', ')}, got "${value}"`,
    );
  }
  return algorithm;
}

function publicKey(value: string, algorithm: AsymmetricAlgorithm): KeyObject {
  // Container environments often carry a PEM on one line with literal "\n" escapes.
  const pem = value.startsWith('-----BEGIN')
    ? value.replace(/\\n/g, '\n')
    : readText(value, 'JWT_PUBLIC_KEY', 'is neither a PEM string nor a readable PEM file');
  if (/PRIVATE KEY-----/.test(pem)) {
    throw new IdentityConfigError(
      'JWT_PUBLIC_KEY holds a private key; give the service only the public key',
    );
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new IdentityConfigError('JWT_PUBLIC_KEY is not a valid PEM public key');
  }
  const problem = keyMismatch(key, algorithm);
  if (problem)
    throw new IdentityConfigError(
      `JWT_PUBLIC_KEY does not fit JWT_ALGORITHM=${algorithm}: ${problem}`,
    );
  return key;
}

/** Checked at startup so a wrong key fails the boot, not every request. */
function keyMismatch(key: KeyObject, algorithm: AsymmetricAlgorithm): string | undefined {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (algorithm.startsWith('RS') || algorithm.startsWith('PS')) {
    const allowed = algorithm.startsWith('PS') ? ['rsa', 'rsa-pss'] : ['rsa'];
    if (!type || !allowed.includes(type)) return `an RSA key is needed, got ${type}`;
    if ((details.modulusLength ?? 0) < 2048) return 'RSA keys must be at least 2048 bits';
    return undefined;
  }
  if (algorithm === 'EdDSA') {
    return type === 'ed25519' || type === 'ed448'
      ? undefined
      : `an Ed25519 or Ed448 key is needed, got ${type}`;
  }
  const curve = algorithm === 'ES256' ? 'prime256v1' : 'secp384r1';
  return type === 'ec' && details.namedCurve === curve
    ? undefined
    : `an EC key on curve ${curve} is needed, got ${type} ${details.namedCurve ?? ''}`.trim();
}

function keySetFile(path: string): JSONWebKeySet {
  const text = readText(path, 'JWT_JWKS_FILE', 'is not a readable file');
  let keySet: JSONWebKeySet;
  try {
    keySet = JSON.parse(text) as JSONWebKeySet;
    createLocalJWKSet(keySet);
  } catch {
    throw new IdentityConfigError(
      `JWT_JWKS_FILE ${path} is not a JSON Web Key Set ({"keys": [...]})`,
    );
  }
  if (keySet.keys.length === 0)
    throw new IdentityConfigError(`JWT_JWKS_FILE ${path} holds no keys`);
  return keySet;
}

function keySetUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new IdentityConfigError(`JWT_JWKS_URL is not a URL: "${value}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new IdentityConfigError(`JWT_JWKS_URL must be an http(s) URL, got ${url.protocol}`);
  }
  return url;
}

function readText(path: string, variable: string, problem: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new IdentityConfigError(`${variable} ${problem}: ${path}`);
  }
}
