import { PassThrough } from 'node:stream';
import {
  DEV_PRINCIPALS,
  devTokensFor,
  formatDevTokens,
  printDevTokens,
} from '../../src/identity/dev-tokens';
import { identityConfigFromEnv } from '../../src/identity/identity.config';
import { TokenVerifier } from '../../src/identity/token-verifier';
import { Unauthenticated } from '../../src/identity/unauthenticated.error';
import { secretConfig } from './token.fixtures';

describe('dev tokens', () => {
  const devConfig = identityConfigFromEnv({ NODE_ENV: 'development' });

  it.each(['operations', 'client', 'vendor'] as const)(
    'give the %s identity when verified in dev mode',
    async (type) => {
      const devTokens = await devTokensFor(devConfig);

      await expect(new TokenVerifier(devConfig).verify(devTokens?.tokens[type])).resolves.toEqual(
        DEV_PRINCIPALS[type],
      );
    },
  );

  it('carry the configured issuer and audience', async () => {
    const config = identityConfigFromEnv({ JWT_ISSUER: 'https://dev/', JWT_AUDIENCE: 'cases' });
    const devTokens = await devTokensFor(config);

    await expect(new TokenVerifier(config).verify(devTokens?.tokens.client)).resolves.toEqual(
      DEV_PRINCIPALS.client,
    );
  });

  it('last twelve hours', async () => {
    const now = new Date('2026-01-01T08:00:00Z');
    const devTokens = await devTokensFor(devConfig, now);

    expect(devTokens?.expiresAt).toEqual(new Date('2026-01-01T20:00:00Z'));
    const payload = JSON.parse(
      Buffer.from(devTokens!.tokens.client.split('.')[1], 'base64url').toString(),
    );
    expect(payload.exp - payload.iat).toBe(12 * 60 * 60);
  });

  it('last no longer than the service accepts when JWT_MAX_LIFETIME_SECONDS is shorter', async () => {
    const config = identityConfigFromEnv({
      NODE_ENV: 'development',
      JWT_MAX_LIFETIME_SECONDS: '3600',
    });
    const now = new Date();
    const devTokens = await devTokensFor(config, now);

    expect(devTokens?.expiresAt).toEqual(new Date(now.getTime() + 3600 * 1000));
    await expect(new TokenVerifier(config).verify(devTokens?.tokens.client)).resolves.toEqual(
      DEV_PRINCIPALS.client,
    );
  });

  it('die with the process: another start does not accept them', async () => {
    const devTokens = await devTokensFor(devConfig);
    const restarted = new TokenVerifier(identityConfigFromEnv({ NODE_ENV: 'development' }));

    await expect(restarted.verify(devTokens?.tokens.operations)).rejects.toBeInstanceOf(
      Unauthenticated,
    );
  });

  it('are not minted outside dev mode', async () => {
    await expect(devTokensFor(secretConfig())).resolves.toBeUndefined();
  });

  it('print as a block with one export line per identity', async () => {
    const devTokens = (await devTokensFor(devConfig))!;
    const out = new PassThrough();
    printDevTokens(devTokens, 'http://localhost:8080', out);
    const printed = String(out.read());

    expect(printed).toBe(`${formatDevTokens(devTokens, 'http://localhost:8080')}\n`);
    expect(printed).toContain(`export OPERATIONS_TOKEN=${devTokens.tokens.operations}\n`);
    expect(printed).toContain(`export CLIENT_TOKEN=${devTokens.tokens.client}\n`);
    expect(printed).toContain(`export VENDOR_TOKEN=${devTokens.tokens.vendor}\n`);
    expect(printed).toContain('Stark Industries (ACC-2000-0000)');
    expect(printed).toContain('http://localhost:8080/public/v1/helpdesk/cases');
  });
});
