import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { identityConfigFromEnv } from '../../src/identity/identity.config';
import { TokenVerifier } from '../../src/identity/token-verifier';
import { entryPointArgs } from '../support/entry-point';
import { AUDIENCE, ISSUER, SECRET_TEXT } from './token.fixtures';

const ROOT = join(__dirname, '..', '..');
const CLIENT_ARGS = [
  '--type',
  'client',
  '--sub',
  'USR-2000-0001',
  '--account',
  'ACC-2000-0000',
  '--account-name',
  'Stark Industries',
  '--name',
  'Jane Doe',
  '--expires-in',
  '1h',
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the command the way `npm run token` does, with only the environment given here. */
async function mintTokenCli(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [...entryPointArgs('cli/mint-token'), ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH, ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run token', () => {
  const env = { JWT_SECRET: SECRET_TEXT, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE };

  it('prints only a token that the service configured with the same secret accepts', async () => {
    const run = await mintTokenCli(CLIENT_ARGS, env);

    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const verifier = new TokenVerifier(identityConfigFromEnv({ ...env, NODE_ENV: 'production' }));
    await expect(verifier.verify(run.stdout.trim())).resolves.toEqual({
      id: 'USR-2000-0001',
      name: 'Jane Doe',
      accountId: 'ACC-2000-0000',
      accountName: 'Stark Industries',
      accountType: 'client',
    });
  });

  it.each<[string, string[], NodeJS.ProcessEnv, RegExp]>([
    ['JWT_SECRET is not set', CLIENT_ARGS, {}, /JWT_SECRET is not set/],
    [
      'JWT_SECRET is too short',
      CLIENT_ARGS,
      { JWT_SECRET: 'short' },
      /JWT_SECRET must be at least 32 bytes/,
    ],
    [
      'the service verifies with a JWKS, whose private keys only the issuer has',
      CLIENT_ARGS,
      { JWT_JWKS_URL: 'https://login.example.com/jwks.json' },
      /signs HS256 tokens with JWT_SECRET only/,
    ],
    [
      'another JWT variable is one the service would refuse',
      CLIENT_ARGS,
      { ...env, JWT_CLOCK_TOLERANCE_SECONDS: 'a bit' },
      /JWT_CLOCK_TOLERANCE_SECONDS must be a whole number/,
    ],
    [
      'the account type is unknown',
      ['--type', 'admin', ...CLIENT_ARGS.slice(2)],
      env,
      /'admin' is invalid/,
    ],
    [
      '--sub is missing',
      CLIENT_ARGS.slice(0, 2).concat(CLIENT_ARGS.slice(4)),
      env,
      /required option '--sub <id>'/,
    ],
    [
      '--sub is malformed',
      [...CLIENT_ARGS, '--sub', 'jane'],
      env,
      /--sub must be a USR- or TKN- id/,
    ],
    [
      '--account is malformed',
      [...CLIENT_ARGS, '--account', 'ACC-1'],
      env,
      /--account must be an ACC- id/,
    ],
    [
      '--expires-in is not a duration',
      [...CLIENT_ARGS, '--expires-in', 'soon'],
      env,
      /--expires-in must be a positive duration/,
    ],
    [
      '--expires-in is longer than the service accepts by default (1 day)',
      [...CLIENT_ARGS, '--expires-in', '7d'],
      env,
      /--expires-in 7d is longer than the 86400 seconds the service accepts/,
    ],
    [
      '--expires-in is longer than JWT_MAX_LIFETIME_SECONDS',
      [...CLIENT_ARGS, '--expires-in', '2h'],
      { ...env, JWT_MAX_LIFETIME_SECONDS: '3600' },
      /--expires-in 2h is longer than the 3600 seconds the service accepts/,
    ],
  ])('fails without a token when %s', async (_case, args, runEnv, message) => {
    const run = await mintTokenCli(args, runEnv);

    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });
});
