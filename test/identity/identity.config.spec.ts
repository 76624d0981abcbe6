import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityConfigFromEnv, IdentityConfigError } from '../../src/identity/identity.config';
import { SECRET_TEXT } from './token.fixtures';

const rsaPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .publicKey.export({ type: 'spki', format: 'pem' })
  .toString();
const ecPrivatePem = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const scratch = mkdtempSync(join(tmpdir(), 'identity-config-'));
const file = (name: string, content: string) => {
  writeFileSync(join(scratch, name), content);
  return join(scratch, name);
};

describe('identityConfigFromEnv', () => {
  describe('refuses to start', () => {
    it.each<[string, NodeJS.ProcessEnv, RegExp]>([
      [
        'with several key sources',
        { JWT_SECRET: SECRET_TEXT, JWT_PUBLIC_KEY: rsaPem },
        /only one .*JWT_SECRET and JWT_PUBLIC_KEY/,
      ],
      [
        'with a JWKS URL and a JWKS file',
        { JWT_JWKS_URL: 'https://a.example/jwks', JWT_JWKS_FILE: '/x.json' },
        /JWT_JWKS_URL and JWT_JWKS_FILE/,
      ],
      [
        'with a maximum token lifetime under a minute',
        { JWT_SECRET: SECRET_TEXT, JWT_MAX_LIFETIME_SECONDS: '59' },
        /JWT_MAX_LIFETIME_SECONDS must be a whole number of seconds from 60, got "59"/,
      ],
      [
        'with a maximum token lifetime that is not a number',
        { JWT_SECRET: SECRET_TEXT, JWT_MAX_LIFETIME_SECONDS: '1e300' },
        /JWT_MAX_LIFETIME_SECONDS must be/,
      ],
      [
        'with a secret shorter than 32 bytes',
        { JWT_SECRET: 'x'.repeat(31) },
        /JWT_SECRET must be at least 32 bytes/,
      ],
      [
        'in production without a key',
        { NODE_ENV: 'production' },
        /In production set one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL, JWT_JWKS_FILE/,
      ],
      [
        'with an algorithm not on the list',
        { JWT_PUBLIC_KEY: rsaPem, JWT_ALGORITHM: 'HS512' },
        /JWT_ALGORITHM must be one of RS256/,
      ],
      [
        'with an asymmetric algorithm for a secret',
        { JWT_SECRET: SECRET_TEXT, JWT_ALGORITHM: 'RS256' },
        /JWT_ALGORITHM must be HS256/,
      ],
      ['with an algorithm but no key', { JWT_ALGORITHM: 'ES256' }, /JWT_ALGORITHM is set but no/],
      [
        'with a key that does not fit the algorithm',
        { JWT_PUBLIC_KEY: rsaPem, JWT_ALGORITHM: 'ES256' },
        /JWT_PUBLIC_KEY does not fit JWT_ALGORITHM=ES256/,
      ],
      [
        'with a private key as the public key',
        { JWT_PUBLIC_KEY: ecPrivatePem, JWT_ALGORITHM: 'ES256' },
        /JWT_PUBLIC_KEY holds a private key/,
      ],
      [
        'with a PEM that does not parse',
        { JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----' },
        /JWT_PUBLIC_KEY is not a valid PEM/,
      ],
      [
        'with a public key path that does not exist',
        { JWT_PUBLIC_KEY: '/no/such/key.pem' },
        /JWT_PUBLIC_KEY is neither a PEM string nor a readable PEM file/,
      ],
      [
        'with a JWKS file that is not JSON',
        { JWT_JWKS_FILE: file('bad.json', 'not json') },
        /JWT_JWKS_FILE .* is not a JSON Web Key Set/,
      ],
      [
        'with a JWKS file without keys',
        { JWT_JWKS_FILE: file('empty.json', '{"keys": []}') },
        /JWT_JWKS_FILE .* holds no keys/,
      ],
      [
        'with a JWKS URL that is no URL',
        { JWT_JWKS_URL: 'jwks.json' },
        /JWT_JWKS_URL is not a URL/,
      ],
      [
        'with a JWKS URL that is not http(s)',
        { JWT_JWKS_URL: 'ftp://keys.example/jwks' },
        /JWT_JWKS_URL must be an http\(s\) URL/,
      ],
      [
        'with a clock tolerance that is not a number',
        { JWT_SECRET: SECRET_TEXT, JWT_CLOCK_TOLERANCE_SECONDS: '30s' },
        /JWT_CLOCK_TOLERANCE_SECONDS must be a whole number/,
      ],
    ])('%s', (_case, env, message) => {
      const attempt = () => identityConfigFromEnv(env);
      expect(attempt).toThrow(IdentityConfigError);
      expect(attempt).toThrow(message);
    });

    it('without repeating the secret in the message', () => {
      const shortSecret = 'short-but-secret';
      const message = messageOf(() => identityConfigFromEnv({ JWT_SECRET: shortSecret }));

      expect(message).toMatch(/^JWT_SECRET must be at least 32 bytes/);
      expect(message).not.toContain(shortSecret);
    });
  });

  describe('outside production without a key', () => {
    it('runs in dev mode with an ephemeral 32-byte secret, new at every start', () => {
      const first = identityConfigFromEnv({ NODE_ENV: 'development' });
      const second = identityConfigFromEnv({});

      expect(first.devMode).toBe(true);
      expect(first.key.kind).toBe('secret');
      expect(first.key.kind === 'secret' && first.key.secret.byteLength).toBe(32);
      expect(second.key).not.toEqual(first.key);
    });

    it('treats blank variables as unset', () => {
      expect(identityConfigFromEnv({ JWT_SECRET: '  ', JWT_ISSUER: '' })).toMatchObject({
        devMode: true,
        issuer: undefined,
      });
    });
  });

  it('reads a secret with issuer, audience and the default tolerance of 30 seconds', () => {
    expect(
      identityConfigFromEnv({
        NODE_ENV: 'production',
        JWT_SECRET: SECRET_TEXT,
        JWT_ISSUER: 'https://idp/',
        JWT_AUDIENCE: 'cases',
      }),
    ).toEqual({
      key: { kind: 'secret', secret: new TextEncoder().encode(SECRET_TEXT) },
      issuer: 'https://idp/',
      audience: 'cases',
      clockToleranceSeconds: 30,
      maxTokenLifetimeSeconds: 86400,
      devMode: false,
    });
  });

  it('reads a public key with RS256 as the default algorithm, and a configured tolerance', () => {
    expect(
      identityConfigFromEnv({
        JWT_PUBLIC_KEY: rsaPem,
        JWT_CLOCK_TOLERANCE_SECONDS: '0',
        JWT_MAX_LIFETIME_SECONDS: '3600',
      }),
    ).toMatchObject({
      key: { kind: 'public-key', algorithm: 'RS256' },
      clockToleranceSeconds: 0,
      maxTokenLifetimeSeconds: 3600,
      devMode: false,
    });
  });

  it('reads a JWKS URL with the configured algorithm', () => {
    const config = identityConfigFromEnv({
      JWT_JWKS_URL: 'https://login.example.com/jwks',
      JWT_ALGORITHM: 'EdDSA',
    });
    expect(config.key).toEqual({
      kind: 'jwks-url',
      url: new URL('https://login.example.com/jwks'),
      algorithm: 'EdDSA',
    });
  });
});

function messageOf(attempt: () => unknown): string {
  try {
    attempt();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}
