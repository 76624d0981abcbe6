import type { AccountType } from './principal';
import type { IdentityConfig } from './identity.config';
import { claimsOf, type Principal } from './principal';
import { DEV_SECRET_FILE } from './dev-secret';
import { mintToken } from './token-minter';

/** Fixed, readable identities so the dev tokens and the tests speak of the same people. */
export const DEV_PRINCIPALS: Readonly<Record<AccountType, Principal>> = Object.freeze({
  operations: {
    id: 'USR-1000-0001',
    name: 'Olivia Operator',
    email: 'olivia.operator@example.com',
    givenName: 'Olivia',
    familyName: 'Operator',
    accountId: 'ACC-1000-0000',
    accountName: 'Helpdesk Operations',
    accountType: 'operations',
  },
  client: {
    id: 'USR-2000-0001',
    name: 'Jane Doe',
    email: 'jane.doe@example.com',
    givenName: 'Jane',
    familyName: 'Doe',
    accountId: 'ACC-2000-0000',
    accountName: 'Stark Industries',
    accountType: 'client',
  },
  vendor: {
    id: 'USR-3000-0001',
    name: 'Victor Vendor',
    email: 'victor.vendor@example.com',
    givenName: 'Victor',
    familyName: 'Vendor',
    accountId: 'ACC-3000-0000',
    accountName: 'Acme Supplies',
    accountType: 'vendor',
  },
});

/** Twelve hours, or the service's lifetime limit when that is shorter: it must accept them. */
const DEV_TOKEN_LIFETIME_SECONDS = 12 * 60 * 60;

export interface DevTokens {
  readonly tokens: Readonly<Record<AccountType, string>>;
  readonly expiresAt: Date;
}

/**
 * Tokens for the three dev identities, signed with dev mode's secret; undefined outside dev
 * mode, where nobody but the configured issuer may mint.
 */
export async function devTokensFor(
  config: IdentityConfig,
  now = new Date(),
): Promise<DevTokens | undefined> {
  if (!config.devMode || config.key.kind !== 'secret') return undefined;
  const lifetimeSeconds = Math.min(DEV_TOKEN_LIFETIME_SECONDS, config.maxTokenLifetimeSeconds);
  const options = {
    secret: config.key.secret,
    expiresInSeconds: lifetimeSeconds,
    issuer: config.issuer,
    audience: config.audience,
    now,
  };
  const [operations, client, vendor] = await Promise.all(
    (['operations', 'client', 'vendor'] as const).map((type) =>
      mintToken(claimsOf(DEV_PRINCIPALS[type]), options),
    ),
  );
  return {
    tokens: { operations, client, vendor },
    expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000),
  };
}

const RULE = '='.repeat(78);

/**
 * A block meant for a person at a terminal, framed so it stands out from the JSON log: one
 * `export` line per identity, left unframed so each pastes into a shell as it is.
 */
export function formatDevTokens({ tokens, expiresAt }: DevTokens, baseUrl?: string): string {
  const lines = (Object.keys(tokens) as AccountType[]).flatMap((type) => {
    const p = DEV_PRINCIPALS[type];
    return [
      `# ${type}: ${p.name} (${p.id}) of ${p.accountName} (${p.accountId})`,
      `export ${type.toUpperCase()}_TOKEN=${tokens[type]}`,
    ];
  });
  return [
    '',
    RULE,
    '  DEV MODE: no JWT key is configured, so these tokens are signed with a dev secret kept',
    `  in DATA_DIR (${DEV_SECRET_FILE}). They survive restarts and expire at`,
    `  ${expiresAt.toISOString()}. Print fresh ones with: npm run -s token`,
    RULE,
    ...lines,
    ...(baseUrl
      ? [`# curl -H "Authorization: Bearer $CLIENT_TOKEN" ${baseUrl}/public/v1/helpdesk/cases`]
      : []),
    RULE,
    '',
  ].join('\n');
}

/** To stderr by default: stdout carries the JSON log, which must stay pipeable to jq. */
export function printDevTokens(
  devTokens: DevTokens,
  baseUrl?: string,
  out: NodeJS.WritableStream = process.stderr,
): void {
  out.write(`${formatDevTokens(devTokens, baseUrl)}\n`);
}
