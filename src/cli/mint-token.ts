import { Command, Option } from 'commander';
import { loadConfig } from '../config/app.config';
import { readDevSecret } from '../identity/dev-secret';
import { devTokensFor, formatDevTokens } from '../identity/dev-tokens';
import { identityConfigFromEnv } from '../identity/identity.config';
import {
  ACCOUNT_TYPES,
  isAccountId,
  isSubjectId,
  type PrincipalClaims,
} from '../identity/principal';
import { mintToken } from '../identity/token-minter';
import type { AccountType } from '../cases/domain/case.values';

/**
 * Mints an HS256 token for the secret the service is configured with. Only the token goes
 * to stdout, so scripts can write `TOKEN=$(npm run -s token -- ...)`. Without arguments it
 * prints dev mode's tokens again.
 */
interface MintTokenOptions {
  type: AccountType;
  sub: string;
  account: string;
  accountName?: string;
  name?: string;
  email?: string;
  givenName?: string;
  familyName?: string;
  expiresIn: string;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

function durationSeconds(value: string): number {
  const match = /^(\d+)([smhd])$/.exec(value);
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[match[2]] : 0;
  if (seconds <= 0) {
    throw new Error(
      `--expires-in must be a positive duration such as 90s, 30m, 1h or 7d, got "${value}"`,
    );
  }
  return seconds;
}

function claimsFrom(options: MintTokenOptions): PrincipalClaims {
  if (!isSubjectId(options.sub)) {
    throw new Error(`--sub must be a USR- or TKN- id such as USR-2000-0001, got "${options.sub}"`);
  }
  if (!isAccountId(options.account)) {
    throw new Error(`--account must be an ACC- id such as ACC-2000-0000, got "${options.account}"`);
  }
  // Unset options stay undefined and drop out when the payload is serialised.
  return {
    sub: options.sub,
    account_id: options.account,
    account_type: options.type,
    name: options.name,
    email: options.email,
    given_name: options.givenName,
    family_name: options.familyName,
    account_name: options.accountName,
  };
}

/**
 * The secret, issuer and audience the service would verify with, read by the service's own
 * identity configuration (same variables, same checks): a token minted here is one it accepts.
 */
function signingSettings(env: NodeJS.ProcessEnv) {
  const identity = identityConfigFromEnv(env);
  if (identity.devMode) {
    throw new Error(
      'JWT_SECRET is not set. This command signs HS256 tokens with the secret the service verifies with; ' +
        'a service in dev mode prints its own tokens at startup, and `npm run -s token` with no arguments prints them again.',
    );
  }
  if (identity.key.kind !== 'secret') {
    throw new Error(
      'The service verifies tokens with a public key or a JWKS: tokens come from the issuer that holds ' +
        'the private key. This command signs HS256 tokens with JWT_SECRET only.',
    );
  }
  return {
    secret: identity.key.secret,
    issuer: identity.issuer,
    audience: identity.audience,
    maxLifetimeSeconds: identity.maxTokenLifetimeSeconds,
  };
}

/** The lifetime asked for, refused when the service would refuse a token that long-lived. */
function lifetimeSeconds(expiresIn: string, maxLifetimeSeconds: number): number {
  const seconds = durationSeconds(expiresIn);
  if (seconds > maxLifetimeSeconds) {
    throw new Error(
      `--expires-in ${expiresIn} is longer than the ${maxLifetimeSeconds} seconds the service accepts ` +
        '(JWT_MAX_LIFETIME_SECONDS): it would refuse the token',
    );
  }
  return seconds;
}

/**
 * Without arguments, in dev mode: the dev identities' tokens again, signed with the secret the
 * running (or last) dev service kept in DATA_DIR. On stdout, so `eval "$(npm run -s token)"`
 * exports them into a shell.
 */
async function printDevTokensAgain(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env);
  if (!config.identity.devMode) {
    throw new Error(
      'A token key is configured, so there are no dev tokens: mint one with --type, --sub and --account (see --help).',
    );
  }
  const secret = readDevSecret(config.dataDir);
  if (!secret) {
    throw new Error(
      `No dev secret in ${config.dataDir} yet: start the service once (npm start), then run this again.`,
    );
  }
  const tokens = await devTokensFor({ ...config.identity, key: { kind: 'secret', secret } });
  process.stdout.write(`${formatDevTokens(tokens!)}\n`);
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<void> {
  if (argv.length <= 2) return printDevTokensAgain(env);
  const program = new Command('token')
    .description(
      'Mint a bearer token for the Case service (HS256, JWT_SECRET from the environment)',
    )
    .addOption(
      new Option('--type <accountType>', 'account type')
        .choices(ACCOUNT_TYPES)
        .makeOptionMandatory(),
    )
    .requiredOption('--sub <id>', 'subject id (USR-... or TKN-...)')
    .requiredOption('--account <id>', 'account id (ACC-...)')
    .option('--account-name <name>', 'account display name')
    .option('--name <name>', 'display name')
    .option('--email <email>', 'email address')
    .option('--given-name <name>', 'given name')
    .option('--family-name <name>', 'family name')
    .option('--expires-in <duration>', 'lifetime such as 90s, 30m, 1h or 7d', '1h')
    .showHelpAfterError('(run with --help for usage)');
  program.parse(argv);
  const options = program.opts<MintTokenOptions>();

  try {
    const { maxLifetimeSeconds, ...signing } = signingSettings(env);
    const token = await mintToken(claimsFrom(options), {
      ...signing,
      expiresInSeconds: lifetimeSeconds(options.expiresIn, maxLifetimeSeconds),
    });
    process.stdout.write(`${token}\n`);
  } catch (error) {
    program.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

main(process.argv, process.env).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
