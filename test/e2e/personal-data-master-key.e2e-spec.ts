import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/app.config';
import { MasterKeyError } from '../../src/personal-data/master-key';
import { clientCaseBody } from '../support/case.fixtures';
import { onStore } from './support/e2e-store';
import { startTestApp } from './support/test-app';

const PRODUCTION = {
  NODE_ENV: 'production',
  JWT_SECRET: 'a-secret-long-enough-for-hs256-0123456789',
};

describe(onStore('the personal-data master key at startup'), () => {
  it('is required in production, with a message that says what to set', () => {
    expect(() => loadConfig(PRODUCTION)).toThrow(ConfigError);
    expect(() => loadConfig(PRODUCTION)).toThrow(/PII_MASTER_KEY is required in production/);
    const key = randomBytes(32).toString('base64');
    expect(loadConfig({ ...PRODUCTION, PII_MASTER_KEY: key }).piiMasterKey).toBe(key);
  });

  it('must be 32 bytes in hex or base64', () => {
    expect(() => loadConfig({ ...PRODUCTION, PII_MASTER_KEY: 'short' })).toThrow(
      /PII_MASTER_KEY must be 32 random bytes/,
    );
  });

  it('stops the service when it is not the key the data keys were wrapped with', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'case-pii-key-'));
    try {
      const first = await startTestApp({
        dataDir,
        env: { PII_MASTER_KEY: randomBytes(32).toString('hex') },
      });
      expect((await first.http.post('/cases', clientCaseBody())).status).toBe(201);
      await first.close({ keepData: true });
      const wrong = startTestApp({
        dataDir,
        env: { PII_MASTER_KEY: randomBytes(32).toString('hex') },
      });
      await expect(wrong).rejects.toBeInstanceOf(MasterKeyError);
      await expect(wrong).rejects.toThrow(
        /PII_MASTER_KEY does not open the personal-data key store/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
