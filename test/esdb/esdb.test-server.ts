/**
 * A wire-level EventStoreDB test double: a gRPC server on the client package's own generated
 * service definitions, so the real `@eventstore/db-client` talks to it exactly as to a node
 * started with `--insecure`. It implements `Streams.Read`, `Streams.Append` and
 * `ServerFeatures.GetSupportedMethods`; every other method answers UNIMPLEMENTED.
 */
import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import {
  SupportedMethod,
  SupportedMethods,
} from '@eventstore/db-client/generated/serverfeatures_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import { appendHandler } from './esdb.append.handler';
import { InMemoryEventLog } from './esdb.in-memory-log';
import { ReadHandler } from './esdb.read.handler';

export interface EsdbTestServerOptions {
  /** 0 or omitted: any free port. Pass a stopped server's port to start it again there. */
  readonly port?: number;
  /** Reuse a log to keep the data across a stop and start, as a restarted node would. */
  readonly log?: InMemoryEventLog;
}

export interface EsdbTestServer {
  readonly connectionString: string;
  readonly port: number;
  readonly log: InMemoryEventLog;
  /** Ends every live subscription with an error status; returns how many were dropped. */
  dropSubscriptions(code?: status): number;
  /** Closes every connection at once, as a crashed or killed node does. */
  stop(): Promise<void>;
}

const SERVER_VERSION = '24.10.0';
const STREAMS_SERVICE = 'event_store.client.streams.Streams';

export async function startEsdbTestServer(
  options: EsdbTestServerOptions = {},
): Promise<EsdbTestServer> {
  const log = options.log ?? new InMemoryEventLog();
  const reads = new ReadHandler(log);
  const server = new Server({
    // The client pings every 10 s by default; a real server accepts that.
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 1_000,
  });
  server.addService(StreamsService, { read: reads.read, append: appendHandler(log) });
  server.addService(ServerFeaturesService, { getSupportedMethods: supportedMethods });

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(
      `127.0.0.1:${options.port ?? 0}`,
      ServerCredentials.createInsecure(),
      (error, bound) => (error ? reject(error) : resolve(bound)),
    ),
  );
  return {
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    port,
    log,
    dropSubscriptions: (code) => reads.dropSubscriptions(code),
    stop: async () => {
      reads.dropSubscriptions(status.UNAVAILABLE);
      server.forceShutdown();
    },
  };
}

/**
 * Advertises Read and Append but not BatchAppend, so the client takes the plain `Append`
 * path because the server said so, not because the call failed.
 */
function supportedMethods(
  _call: unknown,
  callback: (error: null, methods: SupportedMethods) => void,
): void {
  const methods = new SupportedMethods();
  methods.setEventStoreServerVersion(SERVER_VERSION);
  for (const name of ['Read', 'Append']) {
    const method = new SupportedMethod();
    method.setServiceName(STREAMS_SERVICE);
    method.setMethodName(name);
    methods.addMethods(method);
  }
  callback(null, methods);
}
