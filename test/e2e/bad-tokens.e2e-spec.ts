import { generateKeyPair, type JWTPayload } from 'jose';
import { claimsOf } from '../../src/identity/principal';
import { sign, unsignedToken } from '../identity/token.fixtures';
import { onStore } from './support/e2e-store';
import { clientCaseBody, OTHER_QUEUE } from '../support/case.fixtures';
import { CALLERS, TEST_SECRET, startTestApp, type TestApp } from './support/test-app';

const secret = new TextEncoder().encode(TEST_SECRET);
const now = () => Math.floor(Date.now() / 1000);
const claims = (extra: Record<string, unknown> = {}): JWTPayload => ({
  ...claimsOf(CALLERS.operations),
  iat: now(),
  exp: now() + 600,
  ...extra,
});
const without = (claim: string): JWTPayload => {
  const payload = claims();
  delete payload[claim];
  return payload;
};

const signed = (payload: JWTPayload) => sign(payload, secret);

/** Each one is a valid operations token with one thing wrong, and what the 401 must say. */
const BAD_TOKENS: Array<[string, () => Promise<string> | string, RegExp]> = [
  ['garbage', () => 'not-a-jwt', /malformed/],
  ['alg none', () => unsignedToken(claims()), /must be signed with HS256/],
  ['another secret', () => sign(claims(), new TextEncoder().encode('y'.repeat(40))), /signature/],
  [
    'an RSA key the service does not know',
    async () => sign(claims(), (await generateKeyPair('RS256')).privateKey, { alg: 'RS256' }),
    /must be signed with HS256/,
  ],
  ['expired', () => signed(claims({ exp: now() - 3600 })), /expired/],
  ['not yet valid', () => signed(claims({ nbf: now() + 3600 })), /not valid yet/],
  ['no exp', () => signed(without('exp')), /exp/],
  ['no sub', () => signed(without('sub')), /sub/],
  ['no account_id', () => signed(without('account_id')), /account_id/],
  ['no account_type', () => signed(without('account_type')), /account_type/],
  ['an unknown account_type', () => signed(claims({ account_type: 'admin' })), /account_type/],
  ['a malformed sub', () => signed(claims({ sub: 'root' })), /sub/],
];

describe(onStore('bad tokens over HTTP'), () => {
  let t: TestApp;
  let caseId: string;
  beforeAll(async () => {
    t = await startTestApp();
    caseId = (await t.http.post('/cases', clientCaseBody())).body.id;
  });
  afterAll(() => t.close());

  it.each(BAD_TOKENS)(
    'refuses %s with 401, appending and revealing nothing',
    async (_name, token, detail) => {
      const headers = { authorization: `Bearer ${await token()}` };
      const command = await t.http.post(
        `/cases/${caseId}/transfer`,
        { queue: OTHER_QUEUE },
        { as: null, headers },
      );
      expect(command.status).toBe(401);
      expect(command.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
      expect(command.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(command.body.detail).toMatch(detail);
      const read = await t.http.get(`/cases/${caseId}`, { as: null, headers });
      expect(read.status).toBe(401);
      expect(read.text).not.toContain('HQU-');
      expect((await t.streamEvents(caseId)).map((e) => e.type)).toEqual(['CaseCreated']);
    },
  );

  it.each([
    ['no Authorization header', undefined],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['an empty bearer', 'Bearer '],
  ])('refuses %s with 401 and a bare Bearer challenge', async (_name, authorization) => {
    const headers: Record<string, string> = authorization ? { authorization } : {};
    const response = await t.http.put(
      `/cases/${caseId}`,
      { awaiting: true },
      { as: null, headers },
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await t.streamEvents(caseId)).map((e) => e.type)).toEqual(['CaseCreated']);
  });
});
