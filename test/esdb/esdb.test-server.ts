/**
 * A wire-level EventStoreDB test double: a gRPC server on the client package's own generated
 * service definitions, so the real `@eventstore/db-client` talks to it exactly as to a node.
 * It implements `Streams.Read`, `Streams.Append`, `Streams.BatchAppend` and
 * `ServerFeatures.GetSupportedMethods`; every other method answers UNIMPLEMENTED.
 *
 * Modes: `appendMode: 'batch'` (default) advertises BatchAppend as servers since 21.10 do, so
 * the client sends appends over it, as in production; `'plain'` is an older server without
 * the ServerFeatures service, so the client falls back to `Append`. With `users`, the node is
 * secure: TLS (a test certificate under `tls/`) and basic-auth users with default ACLs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import {
  SupportedMethod,
  SupportedMethods,
} from '@eventstore/db-client/generated/serverfeatures_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import type { Users } from './esdb.access';
import { appendHandler } from './esdb.append.handler';
import { batchAppendHandler, type AppendSettings } from './esdb.batch-append.handler';
import { FreezeGate } from './esdb.freeze';
import { InMemoryEventLog } from './esdb.in-memory-log';
import { DEFAULT_MAX_APPEND_SIZE } from './esdb.proposed';
import { ReadHandler } from './esdb.read.handler';

export type AppendMode = 'batch' | 'plain';

export interface EsdbTestServerOptions {
  /** 0 or omitted: any free port. Pass a stopped server's port to start it again there. */
  readonly port?: number;
  /** Reuse a log to keep the data across a stop and start, as a restarted node would. */
  readonly log?: InMemoryEventLog;
  readonly appendMode?: AppendMode;
  /** The server's `MaxAppendSize`; 1,048,576 bytes by default. */
  readonly maxAppendSize?: number;
  /** The server's `WriteTimeoutMs`; 2,000 ms by default. */
  readonly writeTimeoutMs?: number;
  /** Makes the node secure (TLS and credentials), with these users. */
  readonly users?: Users;
}

export interface CallCounts {
  append: number;
  batchAppend: number;
  read: number;
}

export interface EsdbTestServer {
  /** Insecure: `?tls=false`. Secure: the first admin's credentials and the test CA. */
  readonly connectionString: string;
  readonly port: number;
  readonly log: InMemoryEventLog;
  readonly appendMode: AppendMode;
  /** Calls received per method, to show which path the client took. */
  readonly calls: CallCounts;
  /** The connection string of a secure node for other credentials. */
  connectionStringAs(username: string, password: string): string;
  /** Ends every live subscription with an error status; returns how many were dropped. */
  dropSubscriptions(code?: status): number;
  /** Stops answering anything (see FreezeGate); `thaw()` answers what waited. */
  freeze(): void;
  thaw(): void;
  /** Closes every connection at once, as a crashed or killed node does. */
  stop(): Promise<void>;
}

const SERVER_VERSION = '24.10.0';
const STREAMS_SERVICE = 'event_store.client.streams.Streams';
const TLS_DIR = join(__dirname, 'tls');
export const TEST_CA_FILE = join(TLS_DIR, 'node.crt');

export async function startEsdbTestServer(
  options: EsdbTestServerOptions = {},
): Promise<EsdbTestServer> {
  const log = options.log ?? new InMemoryEventLog();
  const appendMode = options.appendMode ?? 'batch';
  const gate = new FreezeGate();
  const settings: AppendSettings = {
    log,
    gate,
    users: options.users,
    maxAppendSize: options.maxAppendSize ?? DEFAULT_MAX_APPEND_SIZE,
    writeTimeoutMs: options.writeTimeoutMs ?? 2_000,
  };
  const reads = new ReadHandler(log, gate, options.users);
  const server = new Server({
    // The client pings every 10 s by default; a real server accepts that.
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 1_000,
  });
  const calls: CallCounts = { append: 0, batchAppend: 0, read: 0 };
  const counted =
    <A extends unknown[]>(name: keyof CallCounts, handler: (...args: A) => void) =>
    (...args: A) => {
      calls[name]++;
      handler(...args);
    };
  server.addService(StreamsService, {
    read: counted('read', reads.read),
    append: counted('append', appendHandler(settings)),
    ...(appendMode === 'batch'
      ? { batchAppend: counted('batchAppend', batchAppendHandler(settings)) }
      : {}),
  });
  if (appendMode === 'batch') {
    server.addService(ServerFeaturesService, { getSupportedMethods: gate.guard(supportedMethods) });
  }

  const secure = options.users !== undefined;
  const credentials = secure
    ? ServerCredentials.createSsl(
        null,
        [
          {
            private_key: readFileSync(join(TLS_DIR, 'node.key')),
            cert_chain: readFileSync(TEST_CA_FILE),
          },
        ],
        false,
      )
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, credentials, (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  const connectionStringAs = (username: string, password: string) =>
    `esdb://${encodeURIComponent(username)}:${encodeURIComponent(password)}@127.0.0.1:${port}` +
    `?tls=true&tlsCAFile=${encodeURIComponent(TEST_CA_FILE)}`;
  const [admin] = Object.entries(options.users ?? {}).filter(([, user]) => user.admin);
  return {
    connectionString: admin
      ? connectionStringAs(admin[0], admin[1].password)
      : `esdb://127.0.0.1:${port}?tls=false`,
    port,
    log,
    appendMode,
    calls,
    connectionStringAs,
    dropSubscriptions: (code) => reads.dropSubscriptions(code),
    freeze: () => gate.freeze(),
    thaw: () => gate.thaw(),
    stop: async () => {
      gate.thaw();
      reads.dropSubscriptions(status.UNAVAILABLE);
      server.forceShutdown();
    },
  };
}

/** Advertises Read, Append and BatchAppend, as a 24.10 node does for the Streams service. */
function supportedMethods(
  _call: unknown,
  callback: (error: null, methods: SupportedMethods) => void,
): void {
  const methods = new SupportedMethods();
  methods.setEventStoreServerVersion(SERVER_VERSION);
  for (const name of ['Read', 'Append', 'BatchAppend']) {
    const method = new SupportedMethod();
    method.setServiceName(STREAMS_SERVICE);
    method.setMethodName(name);
    methods.addMethods(method);
  }
  callback(null, methods);
}
