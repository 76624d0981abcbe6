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
  /** Longest wait for any one EventStoreDB call (append, next read message, subscription). */
  readonly esdbTimeoutMs: number;
  /** Largest append in bytes, as EventStoreDB's `MaxAppendSize`; the SQLite store enforces it. */
  readonly maxAppendSize: number;
  readonly logLevel: LogLevel;
  readonly bodyLimit: number;
  /** How many times a command without `If-Match` re-reads and re-decides after a conflict. */
  readonly commandRetries: number;
  /** Most case folds the case event stream keeps for recently used cases; 0 turns it off. */
  readonly caseCacheCases: number;
  /** How long an idle `GET /case-events` stream waits before sending an SSE comment. */
  readonly sseHeartbeatMs: number;
  /** Fastify `requestTimeout`: longest time to receive a whole request (headers and body); then 408. */
  readonly httpRequestTimeoutMs: number;
  /** Fastify `connectionTimeout`: a socket silent this long is closed, hung request or not. */
  readonly httpConnectionTimeoutMs: number;
  /** Most `GET /case-events` streams open at once; one more is refused with 503. */
  readonly feedMaxConnections: number;
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
/** A fold is a few KB (a case's state and audit objects): ~50 MiB at most (docs/decisions.md). */
const DEFAULT_CASE_CACHE_CASES = 10_000;

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
    caseCacheCases: integer('CASE_CACHE_CASES', DEFAULT_CASE_CACHE_CASES, 0, 1_000_000),
    sseHeartbeatMs: integer('SSE_HEARTBEAT_MS', 15_000, 10, 3_600_000),
    esdbTimeoutMs: integer('EVENTSTORE_TIMEOUT_MS', 10_000, 100, 600_000),
    maxAppendSize: integer('MAX_APPEND_SIZE', MIB, 1024, 64 * MIB),
    httpRequestTimeoutMs: integer('HTTP_REQUEST_TIMEOUT_MS', 30_000, 1_000, 3_600_000),
    feedMaxConnections: integer('FEED_MAX_CONNECTIONS', 100, 1, 100_000),
    shutdownDrainMs: integer('SHUTDOWN_DRAIN_MS', 1_000, 0, 60_000),
    shutdownTimeoutMs: integer('SHUTDOWN_TIMEOUT_MS', 30_000, 1_000, 600_000),
  };
  // The connection timeout is the last line of defence, so it must outlast what it guards:
  // by default twice the longer of the store timeout and the event feed's heartbeat.
  const guarded = Math.max(config.sseHeartbeatMs, config.esdbTimeoutMs);
  const httpConnectionTimeoutMs = integer(
    'HTTP_CONNECTION_TIMEOUT_MS',
    Math.max(30_000, 2 * guarded),
    1_000,
    3_600_000,
  );
  if (httpConnectionTimeoutMs <= guarded) {
    problems.push(
      'HTTP_CONNECTION_TIMEOUT_MS must be longer than SSE_HEARTBEAT_MS and EVENTSTORE_TIMEOUT_MS, ' +
        `got ${httpConnectionTimeoutMs}`,
    );
  }
  if (problems.length > 0 || !identity) throw new ConfigError(problems);
  return { ...config, httpConnectionTimeoutMs, identity };
}
