import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { destination } from 'pino';
import type { LogLevel } from '../config/environment';
import { correlationIdFor } from './correlation';

/** Probes and scrapes arrive every few seconds: at info they would drown everything else. */
const QUIET_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

/**
 * nestjs-pino for every line the service writes: Nest's own, the modules' `Logger`s and one line
 * per finished request. Lines logged while a request runs carry its `correlationId`, the same
 * key and value as the `X-Correlation-Id` header and the problem `traceId`.
 */
export function loggingModule(level: LogLevel): DynamicModule {
  return LoggerModule.forRoot({
    // One wildcard Nest recognises, so the paths outside the global prefix (health, metrics)
    // are added back once; nestjs-pino's default adds them a second time on Fastify.
    forRoutes: [{ path: '/{*splat}', method: RequestMethod.ALL }],
    pinoHttp: [
      {
        level,
        genReqId: (request) => correlationIdFor(request),
        customAttributeKeys: { reqId: 'correlationId' },
        // Child lines carry the correlation id only, not the whole request again.
        quietReqLogger: true,
        redact: ['req.headers.authorization'],
        serializers: {
          req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        customLogLevel: (request: IncomingMessage, response: ServerResponse) => {
          if (QUIET_PATHS.test(request.url ?? '')) return 'debug';
          if (response.statusCode >= 500) return 'warn';
          return 'info';
        },
        customSuccessMessage: (request, response) =>
          `${request.method} ${request.url} ${response.statusCode}`,
        customErrorMessage: (request, response) =>
          `${request.method} ${request.url} ${response.statusCode}`,
        // A 5xx answer is not itself an error to trace: what failed was logged where it failed
        // (the store call, or the problem filter for a bug), so the request line has no stack.
        customErrorObject: (_request, _response, _error, value: Record<string, unknown>) => {
          const { err: _err, ...rest } = value;
          return rest;
        },
      },
      // Written as they are logged: a line buffered at SIGTERM would die with the process
      // (the shutdown lines are the last it writes), and so would a crash's last words.
      destination({ dest: 1, sync: true }),
    ],
  });
}
