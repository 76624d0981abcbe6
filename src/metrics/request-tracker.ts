import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';
import { setTimeout as sleep } from 'node:timers/promises';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/app.config';
import { MetricsRegistry } from './metrics.registry';

/** Event streams stay open for hours: they are counted apart and never waited for. */
const isFeed = (request: FastifyRequest) =>
  request.routeOptions.url?.endsWith('/case-events') === true;

/**
 * Follows every HTTP request from arrival to the socket's end (hijacked event streams too):
 * the duration histogram by route template, the open feed streams, and the requests in flight,
 * which a SIGTERM lets finish (up to SHUTDOWN_TIMEOUT_MS) before the store closes, logging how
 * many it drained. New requests during the drain are answered 503 by the drain gate
 * (common/graceful-shutdown.ts).
 */
@Injectable()
export class RequestTracker
  implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown
{
  private inFlight = 0;
  private shutdownStarted = 0;
  private drained = 0;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: MetricsRegistry,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext('Shutdown');
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', async (request, reply) => {
      const feed = isFeed(request);
      const stop = this.metrics.httpDuration.startTimer({ method: request.method });
      const gauge = feed ? this.metrics.feedConnections : this.metrics.inFlight;
      gauge.inc();
      if (!feed) this.inFlight += 1;
      reply.raw.once('close', () => {
        gauge.dec();
        if (!feed) this.inFlight -= 1;
        stop({ route: request.routeOptions.url ?? 'unmatched', status_code: reply.raw.statusCode });
      });
    });
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.shutdownStarted = Date.now();
    const waiting = this.inFlight;
    this.logger.info(
      { signal, inFlight: waiting },
      `Shutting down${signal ? ` on ${signal}` : ''}: draining ${waiting} in-flight requests`,
    );
    const deadline = this.shutdownStarted + this.config.shutdownTimeoutMs;
    while (this.inFlight > 0 && Date.now() < deadline) await sleep(20);
    if (this.inFlight > 0) {
      this.logger.warn(
        { abandoned: this.inFlight },
        `${this.inFlight} requests still running after ${this.config.shutdownTimeoutMs} ms; closing anyway`,
      );
    }
    this.drained = waiting - this.inFlight;
  }

  onApplicationShutdown(): void {
    this.logger.info(
      { drained: this.drained, durationMs: Date.now() - this.shutdownStarted },
      `Shutdown complete: drained ${this.drained} in-flight requests in ${Date.now() - this.shutdownStarted} ms`,
    );
  }
}
