import 'reflect-metadata';
import { Logger } from 'nestjs-pino';
import { createApp } from './app.factory';
import { closeGracefullyOnSignals } from './common/graceful-shutdown';
import { ConfigError, loadConfig, type AppConfig } from './config/app.config';
import { withDevSecret } from './identity/dev-secret';
import { devTokensFor, printDevTokens } from './identity/dev-tokens';
import { MasterKeyError } from './personal-data/master-key';

/** sysexits' EX_CONFIG: the environment, not the code, needs fixing. */
const EXIT_CONFIG = 78;

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
    config = { ...config, identity: withDevSecret(config.identity, config.dataDir) };
  } catch (error) {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(EXIT_CONFIG);
  }
  let app;
  try {
    app = await createApp(config);
  } catch (error) {
    if (error instanceof MasterKeyError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    // The metrics listener (METRICS_PORT) starts with the app.
    const problem = portProblem(error, config.metrics.port, config.host, 'METRICS_PORT');
    if (!problem) throw error;
    process.stderr.write(`${problem}\n`);
    process.exit(EXIT_CONFIG);
  }
  const logger = app.get(Logger);
  closeGracefullyOnSignals(app, config);
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    const problem = portProblem(error, config.port, config.host, 'PORT');
    if (!problem) throw error;
    logger.error(problem, 'Main');
    await app.close().catch(() => undefined);
    process.exit(EXIT_CONFIG);
  }
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  logger.log({ url }, `Listening at ${url}`, 'Main');
  const tokens = await devTokensFor(config.identity);
  if (tokens) printDevTokens(tokens, url);
}

/** A listener that could not bind, as one sentence saying what to change; undefined otherwise. */
function portProblem(error: unknown, port: number, host: string, variable: string) {
  const { code } = error as NodeJS.ErrnoException;
  if (code !== 'EADDRINUSE' && code !== 'EACCES') return undefined;
  const why = code === 'EADDRINUSE' ? 'is already in use' : 'needs privileges this user lacks';
  return `Port ${port} on ${host} ${why}: set ${variable} to a free port`;
}

void main();
