import { resolve } from 'node:path';
import { MASTER_KEY_FORMAT, parseMasterKey } from '../personal-data/master-key';
import {
  getMetadataStorage,
  IsIn,
  IsOptional,
  Matches,
  ValidateBy,
  validateSync,
} from 'class-validator';

/**
 * The environment variables, as class-validator schemas. The service and the audit CLI validate
 * with the same classes, so a variable means the same thing and fails with the same words in
 * both. Values arrive as strings; blank ones count as unset (compose files often declare
 * `JWT_SECRET=`), so every field is optional and its default lives with the code that reads it.
 */

export const EVENT_STORE_KINDS = ['sqlite', 'esdb'] as const;
export type EventStoreKind = (typeof EVENT_STORE_KINDS)[number];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const BOOLEANS = ['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'] as const;

/** Thrown at startup with every problem found, so one restart fixes them all. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function OneOf(allowed: readonly string[]): PropertyDecorator {
  return IsIn(allowed as string[], {
    message: ({ property, value }) =>
      `${property} must be one of ${allowed.join(', ')}, got "${String(value)}"`,
  });
}

function WholeNumber(min: number, max: number): PropertyDecorator {
  return ValidateBy({
    name: 'wholeNumber',
    constraints: [min, max],
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && /^\d+$/.test(value) && +value >= min && +value <= max,
      defaultMessage: (args) =>
        `${args!.property} must be a whole number from ${min} to ${max}, got "${String(args!.value)}"`,
    },
  });
}

const Flag = () => OneOf(BOOLEANS);

/** Where the events are: what every reader of the store needs. */
export class StoreEnvironment {
  @IsOptional() @OneOf(EVENT_STORE_KINDS) EVENT_STORE?: string;
  @IsOptional() DATA_DIR?: string;
  @IsOptional()
  @Matches(/^esdb(\+discover)?:\/\//, {
    message: 'EVENTSTORE_CONNECTION_STRING must start with esdb:// or esdb+discover://',
  })
  EVENTSTORE_CONNECTION_STRING?: string;
  /** Wraps the data keys of personal data (docs/personal-data.md); checked below. */
  @IsOptional() PII_MASTER_KEY?: string;
}

/** The HTTP service's own variables; the JWT ones are checked by identity.config.ts. */
export class ServiceEnvironment extends StoreEnvironment {
  @IsOptional() NODE_ENV?: string;
  @IsOptional() HOST?: string;
  @IsOptional() @WholeNumber(0, 65535) PORT?: string;
  @IsOptional() @OneOf(LOG_LEVELS) LOG_LEVEL?: string;
  @IsOptional() @WholeNumber(1024, 64 * 1024 * 1024) BODY_LIMIT?: string;
  @IsOptional() @WholeNumber(0, 50) COMMAND_RETRIES?: string;
  @IsOptional() @WholeNumber(0, 1_000_000) CASE_CACHE_CASES?: string;
  @IsOptional() @WholeNumber(0, 1_000_000) CASE_SNAPSHOT_EVERY?: string;
  @IsOptional() @WholeNumber(10, 3_600_000) SSE_HEARTBEAT_MS?: string;
  @IsOptional() @WholeNumber(100, 600_000) EVENTSTORE_TIMEOUT_MS?: string;
  @IsOptional() @WholeNumber(1024, 64 * 1024 * 1024) MAX_APPEND_SIZE?: string;
  @IsOptional() @WholeNumber(1_000, 3_600_000) HTTP_REQUEST_TIMEOUT_MS?: string;
  @IsOptional() @WholeNumber(1_000, 3_600_000) HTTP_CONNECTION_TIMEOUT_MS?: string;
  @IsOptional() @WholeNumber(1, 100_000) FEED_MAX_CONNECTIONS?: string;
  @IsOptional() @WholeNumber(0, 60_000) SHUTDOWN_DRAIN_MS?: string;
  @IsOptional() @WholeNumber(1_000, 600_000) SHUTDOWN_TIMEOUT_MS?: string;
  @IsOptional() @Flag() METRICS_ENABLED?: string;
  @IsOptional() @WholeNumber(0, 65535) METRICS_PORT?: string;
  @IsOptional() @WholeNumber(0, Number.MAX_SAFE_INTEGER) READY_MAX_LAG_EVENTS?: string;
  @IsOptional() @WholeNumber(0, 86_400) READY_MAX_LAG_SECONDS?: string;
  @IsOptional() @WholeNumber(0, Number.MAX_SAFE_INTEGER) READY_MIN_FREE_BYTES?: string;
}

/** The audit CLI reads the store directly and signs nothing: no JWT variables. */
export class AuditEnvironment extends StoreEnvironment {
  @IsOptional() @WholeNumber(100, 600_000) AUDIT_STORE_TIMEOUT_MS?: string;
}

/**
 * The variables `schema` declares, trimmed, blank ones dropped, checked all at once. Returns the
 * problems rather than throwing so callers can add their own (identity, cross-field rules).
 */
export function readEnvironment<T extends object>(
  schema: new () => T,
  env: NodeJS.ProcessEnv,
): { values: T; problems: string[] } {
  const values = new schema();
  for (const name of declared(schema)) {
    const value = env[name]?.trim();
    if (value) (values as Record<string, string>)[name] = value;
  }
  const problems = validateSync(values, { forbidUnknownValues: false }).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );
  const store = values as StoreEnvironment;
  if (store.EVENT_STORE === 'esdb' && !store.EVENTSTORE_CONNECTION_STRING) {
    problems.push(
      'EVENT_STORE=esdb needs EVENTSTORE_CONNECTION_STRING (e.g. esdb://localhost:2113?tls=false)',
    );
  }
  if (store.PII_MASTER_KEY !== undefined && !parseMasterKey(store.PII_MASTER_KEY)) {
    problems.push(MASTER_KEY_FORMAT);
  }
  return { values, problems };
}

/** Property names class-validator knows for the schema (its own and inherited ones). */
function declared(schema: new () => object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

/** The resolved store settings, with their defaults. */
export function storeSettings(values: StoreEnvironment) {
  return {
    eventStore: (values.EVENT_STORE ?? 'sqlite') as EventStoreKind,
    dataDir: resolve(values.DATA_DIR ?? './data'),
    esdbConnectionString: values.EVENTSTORE_CONNECTION_STRING,
    piiMasterKey: values.PII_MASTER_KEY,
  };
}

export const flag = (value: string | undefined, fallback: boolean): boolean =>
  value === undefined ? fallback : ['true', '1', 'yes', 'on'].includes(value.toLowerCase());
