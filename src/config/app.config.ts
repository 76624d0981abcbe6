import { resolve } from 'node:path';
import { identityConfigFromEnv, type IdentityConfig } from '../identity/identity.config';

export type EventStoreKind = 'sqlite' | 'esdb';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface AppConfig {
  readonly nodeEnv: string;
  readonly host: string;
  readonly port: number;
  readonly eventStore: EventStoreKind;
  readonly dataDir: string;
  readonly esdbConnectionString?: string;
  readonly logLevel: LogLevel;
  readonly bodyLimit: number;
  /** How many times a command without `If-Match` re-reads and re-decides after a conflict. */
  readonly commandRetries: number;
  /** Most decoded events the case history cache holds across all cases; 0 turns it off. */
  readonly caseCacheEvents: number;
  /** How long an idle `GET /case-events` stream waits before sending an SSE comment. */
  readonly sseHeartbeatMs: number;
  /** Most `GET /case-events` streams open at once; one more is refused with 503. */
  readonly feedMaxConnections: number;
  /** How long a whole request (headers and body) may take to arrive; then 408. */
  readonly requestTimeoutMs: number;
  /** On SIGTERM, how long new requests are answered 503 before the listener closes. */
  readonly shutdownDrainMs: number;
  /** On SIGTERM, how long accepted requests may take to finish before the process exits anyway. */
  readonly shutdownTimeoutMs: number;
  readonly identity: IdentityConfig;
}

/** Thrown at startup with every problem found, so one restart fixes them all. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];
const MIB = 1024 * 1024;
/** Holds a 10,000-event case with room to spare: ~20 MiB live (docs/decisions.md). */
const DEFAULT_CASE_CACHE_EVENTS = 20_000;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const read = (name: string) => (env[name]?.trim() ? env[name]!.trim() : undefined);
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = read(name);
    if (raw === undefined) return fallback;
    if (!allowed.includes(raw as T)) {
      problems.push(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
      return fallback;
    }
    return raw as T;
  };

  const eventStore = oneOf<EventStoreKind>('EVENT_STORE', ['sqlite', 'esdb'], 'sqlite');
  const esdbConnectionString = read('EVENTSTORE_CONNECTION_STRING');
  if (eventStore === 'esdb' && !esdbConnectionString) {
    problems.push(
      'EVENT_STORE=esdb needs EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false)',
    );
  }
  if (esdbConnectionString && !/^esdb(\+discover)?:\/\//.test(esdbConnectionString)) {
    problems.push('EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover://');
  }

  let identity: IdentityConfig | undefined;
  try {
    identity = identityConfigFromEnv(env);
  } catch (error) {
    problems.push((error as Error).message);
  }

  const config = {
    nodeEnv: read('NODE_ENV') ?? 'development',
    host: read('HOST') ?? '0.0.0.0',
    port: integer('PORT', 3000, 0, 65535),
    eventStore,
    dataDir: resolve(read('DATA_DIR') ?? './data'),
    esdbConnectionString,
    logLevel: oneOf<LogLevel>('LOG_LEVEL', LOG_LEVELS, 'info'),
    bodyLimit: integer('BODY_LIMIT', MIB, 1024, 64 * MIB),
    commandRetries: integer('COMMAND_RETRIES', 5, 0, 50),
    caseCacheEvents: integer('CASE_CACHE_EVENTS', DEFAULT_CASE_CACHE_EVENTS, 0, 10_000_000),
    sseHeartbeatMs: integer('SSE_HEARTBEAT_MS', 15_000, 10, 3_600_000),
    feedMaxConnections: integer('FEED_MAX_CONNECTIONS', 100, 1, 100_000),
    requestTimeoutMs: integer('REQUEST_TIMEOUT_MS', 30_000, 1_000, 3_600_000),
    shutdownDrainMs: integer('SHUTDOWN_DRAIN_MS', 1_000, 0, 60_000),
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS', 30_000, 1_000, 600_000),
  };
  if (problems.length > 0 || !identity) throw new ConfigError(problems);
  return { ...config, identity };
}
