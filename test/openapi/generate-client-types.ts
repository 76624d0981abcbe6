import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/app.config';

/**
 * `npm run openapi:client`: regenerates `client/case-api.ts` from the description the service
 * serves, after a change to it (openapi-description.spec.ts fails until then).
 */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'case-openapi-'));
  const app = await createApp(
    loadConfig({
      DATA_DIR: dir,
      JWT_SECRET: 'only-used-to-start-the-app-for-its-description',
      LOG_LEVEL: 'silent',
      NODE_ENV: 'test',
    }),
  );
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const description = await (await fetch(`${baseUrl}/docs/openapi.json`)).text();
    writeFileSync(join(dir, 'openapi.json'), description);
    const bin = join(__dirname, '..', '..', 'node_modules', '.bin', 'openapi-typescript');
    const out = join(__dirname, 'client', 'case-api.ts');
    execFileSync(bin, [join(dir, 'openapi.json'), '-o', out], { stdio: 'inherit' });
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
