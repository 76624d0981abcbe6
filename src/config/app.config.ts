import { identityConfigFromEnv, type IdentityConfig } from '../identity/identity.config';
import {
  ConfigError,
  flag,
  readEnvironment,
  ServiceEnvironment,
  storeSettings,
  type EventStoreKind,
  type LogLevel,
} from './environment';

export { ConfigError, type EventStoreKind, type LogLevel };

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
  readonly metrics: {
    readonly enabled: boolean;
    /** 0: served on the API's own port; otherwise a separate listener on this port. */
    readonly port: number;
  };
  readonly readiness: {
    /** Read models further behind the store than this (events or seconds) are not ready. */
    readonly maxLagEvents: number;
    readonly maxLagSeconds: number;
    /** Free bytes DATA_DIR's disk must keep for the embedded store to be ready. */
    readonly minFreeBytes: number;
  };
  /** Longest wait for in-flight requests to finish on SIGTERM before the store closes. */
  readonly shutdownGraceMs: number;
  readonly identity: IdentityConfig;
}

const MIB = 1024 * 1024;
/** Holds a 10,000-event case with room to spare: ~20 MiB live (docs/decisions.md). */
const DEFAULT_CASE_CACHE_EVENTS = 20_000;

/** The service's configuration from its environment; throws {@link ConfigError} listing all. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const { values: v, problems } = readEnvironment(ServiceEnvironment, env);
  let identity: IdentityConfig | undefined;
  try {
    identity = identityConfigFromEnv(env);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0 || !identity) throw new ConfigError(problems);
  const int = (value: string | undefined, fallback: number) =>
    value === undefined ? fallback : Number(value);
  return {
    nodeEnv: v.NODE_ENV ?? 'development',
    host: v.HOST ?? '0.0.0.0',
    port: int(v.PORT, 3000),
    ...storeSettings(v),
    logLevel: (v.LOG_LEVEL ?? 'info') as LogLevel,
    bodyLimit: int(v.BODY_LIMIT, MIB),
    commandRetries: int(v.COMMAND_RETRIES, 5),
    caseCacheEvents: int(v.CASE_CACHE_EVENTS, DEFAULT_CASE_CACHE_EVENTS),
    sseHeartbeatMs: int(v.SSE_HEARTBEAT_MS, 15_000),
    metrics: { enabled: flag(v.METRICS_ENABLED, true), port: int(v.METRICS_PORT, 0) },
    readiness: {
      maxLagEvents: int(v.READY_MAX_LAG_EVENTS, 10_000),
      maxLagSeconds: int(v.READY_MAX_LAG_SECONDS, 30),
      minFreeBytes: int(v.READY_MIN_FREE_BYTES, 64 * MIB),
    },
    shutdownGraceMs: int(v.SHUTDOWN_GRACE_MS, 10_000),
    identity,
  };
}
