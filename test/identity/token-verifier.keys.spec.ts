import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair, type KeyLike } from 'jose';
import { identityConfigFromEnv } from '../../src/identity/identity.config';
import type { Principal } from '../../src/identity/principal';
import { TokenVerifier } from '../../src/identity/token-verifier';
import { IdentityKeysUnavailable, Unauthenticated } from '../../src/identity/unauthenticated.error';
import { nowSeconds, secretConfig, sign, validClaims } from './token.fixtures';

const JANE: Principal = {
  id: 'USR-6375-2500',
  name: 'Jane Doe',
  email: 'jane@example.com',
  accountId: 'ACC-6685-9632',
  accountName: 'Stark Industries',
  accountType: 'client',
};

describe('TokenVerifier accepts a good token', () => {
  let rsa: { publicKey: KeyLike; privateKey: KeyLike };
  let ec: { publicKey: KeyLike; privateKey: KeyLike };
  let jwks: { keys: object[] };

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    jwks = {
      keys: [
        { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
        { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
      ],
    };
  });

  it('signed with the HS256 secret', async () => {
    const verifier = new TokenVerifier(secretConfig());
    await expect(verifier.verify(await sign(validClaims()))).resolves.toEqual(JANE);
  });

  it('expired within the clock tolerance', async () => {
    const verifier = new TokenVerifier(secretConfig({ JWT_CLOCK_TOLERANCE_SECONDS: '600' }));
    const token = await sign({ ...validClaims(), exp: nowSeconds() - 60 });
    await expect(verifier.verify(token)).resolves.toEqual(JANE);
  });

  it('signed with RS256, verified with a PEM public key given inline', async () => {
    const verifier = new TokenVerifier(
      identityConfigFromEnv({ JWT_PUBLIC_KEY: await exportSPKI(rsa.publicKey) }),
    );
    const token = await sign(validClaims(), rsa.privateKey, { alg: 'RS256' });
    await expect(verifier.verify(token)).resolves.toEqual(JANE);
  });

  it('signed with ES256, verified with a PEM file and escaped newlines both', async () => {
    const pem = await exportSPKI(ec.publicKey);
    const pemFile = join(mkdtempSync(join(tmpdir(), 'identity-')), 'public.pem');
    writeFileSync(pemFile, pem);
    const token = await sign(validClaims(), ec.privateKey, { alg: 'ES256' });

    for (const JWT_PUBLIC_KEY of [pemFile, pem.replace(/\n/g, '\\n')]) {
      const verifier = new TokenVerifier(
        identityConfigFromEnv({ JWT_PUBLIC_KEY, JWT_ALGORITHM: 'ES256' }),
      );
      await expect(verifier.verify(token)).resolves.toEqual(JANE);
    }
  });

  it('signed with a key of a JWKS file, picked by kid', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'identity-')), 'jwks.json');
    writeFileSync(file, JSON.stringify(jwks));
    const verifier = new TokenVerifier(
      identityConfigFromEnv({ JWT_JWKS_FILE: file, JWT_ALGORITHM: 'ES256' }),
    );
    const token = await sign(validClaims(), ec.privateKey, { alg: 'ES256', kid: 'ec-1' });
    await expect(verifier.verify(token)).resolves.toEqual(JANE);
  });

  describe('from a JWKS URL', () => {
    let server: Server;
    let status = 200;
    let url: string;

    beforeAll(async () => {
      server = createServer((_request, response) => {
        response
          .writeHead(status, { 'Content-Type': 'application/json' })
          .end(JSON.stringify(jwks));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));
    beforeEach(() => (status = 200));

    it('verifies a token signed with a key the endpoint publishes', async () => {
      const verifier = new TokenVerifier(identityConfigFromEnv({ JWT_JWKS_URL: url }));
      const token = await sign(validClaims(), rsa.privateKey, { alg: 'RS256', kid: 'rsa-1' });
      await expect(verifier.verify(token)).resolves.toEqual(JANE);
    });

    it('refuses with 401 a token whose kid the endpoint does not publish', async () => {
      const verifier = new TokenVerifier(identityConfigFromEnv({ JWT_JWKS_URL: url }));
      const token = await sign(validClaims(), rsa.privateKey, { alg: 'RS256', kid: 'unknown' });
      await expect(verifier.verify(token)).rejects.toBeInstanceOf(Unauthenticated);
    });

    it('answers 503, not 401, when the endpoint fails', async () => {
      status = 500;
      const verifier = new TokenVerifier(identityConfigFromEnv({ JWT_JWKS_URL: url }));
      const token = await sign(validClaims(), rsa.privateKey, { alg: 'RS256', kid: 'rsa-1' });
      const error = await verifier.verify(token).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdentityKeysUnavailable);
      expect(error).toMatchObject({ status: 503, headers: { 'Retry-After': '5' } });
    });
  });
});

describe('the Principal from the claims', () => {
  const verifier = new TokenVerifier(secretConfig());
  const principalOf = async (claims: Record<string, unknown>) =>
    verifier.verify(await sign({ ...validClaims(), ...claims }));

  it('takes its name from given and family name when there is no name claim', async () => {
    const principal = await principalOf({
      name: undefined,
      given_name: 'Jane',
      family_name: 'Doe',
    });
    expect(principal).toMatchObject({ name: 'Jane Doe', givenName: 'Jane', familyName: 'Doe' });
  });

  it('falls back to the sub for a name, and to the account id for an account name', async () => {
    const principal = await principalOf({
      sub: 'TKN-1234-5678',
      name: undefined,
      account_name: undefined,
    });
    expect(principal).toMatchObject({
      id: 'TKN-1234-5678',
      name: 'TKN-1234-5678',
      accountName: 'ACC-6685-9632',
    });
  });

  it('accepts ids with four groups of digits', async () => {
    const principal = await principalOf({
      sub: 'USR-1111-2222-3333-4444',
      account_id: 'ACC-1111-2222-3333',
    });
    expect(principal).toMatchObject({
      id: 'USR-1111-2222-3333-4444',
      accountId: 'ACC-1111-2222-3333',
    });
  });
});
