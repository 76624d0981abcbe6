import { MASTER_KEY_REQUIRED } from '../personal-data/master-key';
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
  /** `PII_MASTER_KEY`; undefined outside production means a generated key kept in DATA_DIR. */
  readonly piiMasterKey?: string;
  /** Longest wait for any one EventStoreDB call before it counts as unavailable. */
  readonly esdbTimeoutMs: number;
  /** Largest append in bytes, measured as EventStoreDB measures it; both stores enforce it. */
  readonly maxAppendSize: number;
  readonly logLevel: LogLevel;
  readonly bodyLimit: number;
  /** How many times a command without `If-Match` re-reads and re-decides after a conflict. */
  readonly commandRetries: number;
  /** Most case folds the case event stream keeps for recently used cases; 0 turns it off. */
  readonly caseCacheCases: number;
  /** A snapshot of a case's fold every this many events (docs/event-store.md); 0 turns them off. */
  readonly caseSnapshotEvery: number;
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
  readonly identity: IdentityConfig;
}

const MIB = 1024 * 1024;
/** A fold is a few KB (a case's state and audit objects): tens of MiB at most (docs/decisions.md). */
const DEFAULT_CASE_CACHE_CASES = 10_000;
/** Measured in BENCHMARKS.md ("Snapshots"): a cold load then reads at most this many events. */
const DEFAULT_CASE_SNAPSHOT_EVERY = 500;

/** The service's configuration from its environment; throws {@link ConfigError} listing all. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const { values: v, problems } = readEnvironment(ServiceEnvironment, env);
  let identity: IdentityConfig | undefined;
  try {
    identity = identityConfigFromEnv(env);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const int = (value: string | undefined, fallback: number) =>
    value === undefined ? fallback : Number(value);
  // The connection timeout is the last line of defence, so it must outlast what it guards:
  // by default twice the longer of the store timeout and the event feed's heartbeat.
  const esdbTimeoutMs = int(v.EVENTSTORE_TIMEOUT_MS, 10_000);
  const sseHeartbeatMs = int(v.SSE_HEARTBEAT_MS, 15_000);
  const guarded = Math.max(sseHeartbeatMs, esdbTimeoutMs);
  const httpConnectionTimeoutMs = int(v.HTTP_CONNECTION_TIMEOUT_MS, Math.max(30_000, 2 * guarded));
  if (httpConnectionTimeoutMs <= guarded) {
    problems.push(
      'HTTP_CONNECTION_TIMEOUT_MS must be longer than SSE_HEARTBEAT_MS and EVENTSTORE_TIMEOUT_MS, ' +
        `got ${httpConnectionTimeoutMs}`,
    );
  }
  if (v.PII_MASTER_KEY === undefined && v.NODE_ENV === 'production') {
    problems.push(MASTER_KEY_REQUIRED);
  }
  if (problems.length > 0 || !identity) throw new ConfigError(problems);
  return {
    nodeEnv: v.NODE_ENV ?? 'development',
    host: v.HOST ?? '0.0.0.0',
    port: int(v.PORT, 3000),
    ...storeSettings(v),
    esdbTimeoutMs,
    maxAppendSize: int(v.MAX_APPEND_SIZE, MIB),
    logLevel: (v.LOG_LEVEL ?? 'info') as LogLevel,
    bodyLimit: int(v.BODY_LIMIT, MIB),
    commandRetries: int(v.COMMAND_RETRIES, 5),
    caseCacheCases: int(v.CASE_CACHE_CASES, DEFAULT_CASE_CACHE_CASES),
    caseSnapshotEvery: int(v.CASE_SNAPSHOT_EVERY, DEFAULT_CASE_SNAPSHOT_EVERY),
    sseHeartbeatMs,
    httpRequestTimeoutMs: int(v.HTTP_REQUEST_TIMEOUT_MS, 30_000),
    httpConnectionTimeoutMs,
    feedMaxConnections: int(v.FEED_MAX_CONNECTIONS, 100),
    shutdownDrainMs: int(v.SHUTDOWN_DRAIN_MS, 1_000),
    shutdownTimeoutMs: int(v.SHUTDOWN_TIMEOUT_MS, 30_000),
    metrics: { enabled: flag(v.METRICS_ENABLED, true), port: int(v.METRICS_PORT, 0) },
    readiness: {
      maxLagEvents: int(v.READY_MAX_LAG_EVENTS, 10_000),
      maxLagSeconds: int(v.READY_MAX_LAG_SECONDS, 30),
      minFreeBytes: int(v.READY_MIN_FREE_BYTES, 64 * MIB),
    },
    identity,
  };
}
