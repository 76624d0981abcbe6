import 'reflect-metadata';
import { createApp } from './app.factory';
import { closeGracefullyOnSignals } from './common/graceful-shutdown';
import { ConfigError, loadConfig } from './config/app.config';
import { devTokensFor, printDevTokens } from './identity/dev-tokens';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const app = await createApp(config);
  closeGracefullyOnSignals(app, config);
  await app.listen({ port: config.port, host: config.host });
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  const tokens = await devTokensFor(config.identity);
  if (tokens) printDevTokens(tokens, url);
}

void main();
