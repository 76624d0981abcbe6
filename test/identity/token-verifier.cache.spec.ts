import type { Principal } from '../../src/identity/principal';
import { TokenVerifier } from '../../src/identity/token-verifier';
import { Unauthenticated } from '../../src/identity/unauthenticated.error';
import { VerifiedTokenCache } from '../../src/identity/verified-token.cache';
import { nowSeconds, secretConfig, sign, validClaims } from './token.fixtures';

// Only the wall clock is faked: jose reads `new Date()`, and its crypto needs real ticks.
const fakeTheClock = () =>
  jest.useFakeTimers({
    now: Date.now(),
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });

describe('a token verified once', () => {
  afterEach(() => jest.useRealTimers());

  it('is accepted again with the same principal, which nobody can change', async () => {
    const verifier = new TokenVerifier(secretConfig());
    const token = await sign(validClaims());
    const first = await verifier.verify(token);
    const again = await verifier.verify(token);
    expect(again).toEqual(first);
    expect(again).toMatchObject({ id: 'USR-6375-2500', accountType: 'client' });
    expect(() => {
      (again as { accountType: string }).accountType = 'operations';
    }).toThrow(TypeError);
    expect((await verifier.verify(token)).accountType).toBe('client');
  });

  it('is refused as expired once its exp has passed, beyond the clock tolerance', async () => {
    fakeTheClock();
    const verifier = new TokenVerifier(secretConfig({ JWT_CLOCK_TOLERANCE_SECONDS: '5' }), {
      maxAgeMs: 3_600_000,
    });
    const token = await sign({ ...validClaims(), exp: nowSeconds() + 60 });
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'USR-6375-2500' });

    jest.setSystemTime(Date.now() + 63_000);
    await expect(verifier.verify(token)).resolves.toMatchObject({ id: 'USR-6375-2500' });

    jest.setSystemTime(Date.now() + 5_000);
    await expect(verifier.verify(token)).rejects.toThrow('The token has expired');
    await expect(verifier.verify(token)).rejects.toThrow('The token has expired');
  });

  it('is refused as not valid yet when the clock goes back before its nbf', async () => {
    fakeTheClock();
    const verifier = new TokenVerifier(secretConfig({ JWT_CLOCK_TOLERANCE_SECONDS: '0' }));
    const token = await sign({ ...validClaims(), nbf: nowSeconds() - 10 });
    await verifier.verify(token);

    jest.setSystemTime(Date.now() - 20_000);
    await expect(verifier.verify(token)).rejects.toThrow('The token is not valid yet');
  });

  it('does not make a token with one byte changed acceptable', async () => {
    const verifier = new TokenVerifier(secretConfig());
    const token = await sign(validClaims());
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flip = (text: string, at: number) =>
      `${text.slice(0, at)}${text[at] === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
    const operations = Buffer.from(
      JSON.stringify({ ...validClaims(), account_type: 'operations' }),
    ).toString('base64url');

    for (const tampered of [
      `${header}.${payload}.${flip(signature, 3)}`,
      `${header}.${operations}.${signature}`,
      `${token} `.trim() + 'A',
    ]) {
      const refusal = await verifier.verify(tampered).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(Unauthenticated);
    }
    await expect(verifier.verify(token)).resolves.toMatchObject({ accountType: 'client' });
  });

  it('is checked in full again after the longest reuse', () => {
    let now = Date.now();
    const cache = new VerifiedTokenCache({
      clockToleranceSeconds: 0,
      maxAgeMs: 60_000,
      now: () => now,
    });
    const claims = { exp: Math.floor(now / 1000) + 3600 };
    cache.set('token-a', claims, JANE);
    expect(cache.get('token-a')?.principal).toEqual(JANE);

    now += 60_001;
    expect(cache.get('token-a')).toBeUndefined();
  });
});

describe('the verified-token cache is bounded', () => {
  const exp = nowSeconds() + 3600;

  it('by the number of tokens, dropping the least recently used', () => {
    const cache = new VerifiedTokenCache({ clockToleranceSeconds: 0, maxTokens: 2 });
    cache.set('token-a', { exp }, JANE);
    cache.set('token-b', { exp }, JANE);
    cache.get('token-a');
    cache.set('token-c', { exp }, JANE);
    expect(cache.size).toBe(2);
    expect(cache.get('token-b')).toBeUndefined();
    expect(cache.get('token-a')).toBeDefined();
    expect(cache.get('token-c')).toBeDefined();
  });

  it('by the length of the tokens kept', () => {
    const cache = new VerifiedTokenCache({ clockToleranceSeconds: 0, maxChars: 2_500 });
    for (const name of ['a', 'b', 'c']) cache.set(name.repeat(1_000), { exp }, JANE);
    expect(cache.size).toBe(2);
    expect(cache.get('a'.repeat(1_000))).toBeUndefined();
    // A token longer than the whole bound is verified every time, never kept.
    cache.set('d'.repeat(3_000), { exp }, JANE);
    expect(cache.get('d'.repeat(3_000))).toBeUndefined();
  });
});

const JANE: Principal = {
  id: 'USR-6375-2500',
  name: 'Jane Doe',
  accountId: 'ACC-6685-9632',
  accountName: 'Stark Industries',
  accountType: 'client',
};
