import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { ProblemError } from './problem';

export class ShuttingDown extends ProblemError {
  readonly status = 503;
  override readonly headers = { 'Retry-After': '1', Connection: 'close' };
}

const gates = new WeakMap<FastifyInstance, DrainGate>();

/**
 * Whether the service is draining: once it is, every request that has not started yet is
 * answered 503 (`Retry-After`, `Connection: close`), and every answer, including those of
 * requests already running, closes its connection, so keep-alive clients move on.
 */
export class DrainGate {
  private drainingFlag = false;

  drain(): void {
    this.drainingFlag = true;
  }

  /** Must run before the Fastify instance is ready (hooks cannot be added after). */
  static install(fastify: FastifyInstance): DrainGate {
    const gate = new DrainGate();
    gate.hook(fastify);
    gates.set(fastify, gate);
    return gate;
  }

  private hook(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', async (request, reply) => {
      if (!this.drainingFlag) return;
      reply.header('Connection', 'close');
      throw new ShuttingDown('The service is shutting down; retry on another instance.');
    });
    fastify.addHook('onSend', async (_request, reply) => {
      if (this.drainingFlag) reply.header('Connection', 'close');
    });
  }
}

export interface ShutdownTiming {
  /** How long new requests get 503 while the listener still accepts connections. */
  readonly shutdownDrainMs: number;
  /** After the signal, the most time accepted requests get to finish. */
  readonly shutdownTimeoutMs: number;
}

/**
 * SIGTERM and SIGINT drain, then close:
 * 1. Draining starts: requests not yet started get 503 + `Retry-After`, every answer carries
 *    `Connection: close`. The listener stays open for `shutdownDrainMs` on purpose: closing it
 *    at once would make the kernel reset every connection still in its accept queue, requests
 *    already sent on them included, with no answer at all.
 * 2. The application closes: open feed streams end, the listener closes (so new connections
 *    are refused), idle keep-alive connections close, and the server waits for every request
 *    it accepted to be answered; only then does the store close.
 * 3. The process ends by the same signal, as it would have without this handler. Should a
 *    request hang past `shutdownTimeoutMs`, the process exits with 1 instead.
 */
export function closeGracefullyOnSignals(
  app: NestFastifyApplication,
  timing: ShutdownTiming,
): void {
  const gate = gates.get(app.getHttpAdapter().getInstance() as unknown as FastifyInstance);
  if (!gate) throw new Error('createApp installs the drain gate; this app has none');
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
  const onSignal = (signal: NodeJS.Signals) => {
    signals.forEach((name) => process.removeListener(name, onSignal));
    void shutDown(app, gate, timing, signal);
  };
  signals.forEach((name) => process.once(name, onSignal));
}

/** Time to close connections and the store once accepted requests are done or cut off. */
const EXIT_MARGIN_MS = 5_000;

async function shutDown(
  app: NestFastifyApplication,
  gate: DrainGate,
  timing: ShutdownTiming,
  signal: NodeJS.Signals,
): Promise<void> {
  // The last resort, after the drain and the time accepted requests get to finish (which the
  // request tracker counts from the end of the drain), with a margin for closing the rest.
  const lastResort = timing.shutdownDrainMs + timing.shutdownTimeoutMs + EXIT_MARGIN_MS;
  const deadline = setTimeout(() => process.exit(1), lastResort).unref();
  new Logger('Shutdown').log(
    `${signal}: answering new requests 503 for ${timing.shutdownDrainMs} ms, then closing`,
  );
  gate.drain();
  await delay(timing.shutdownDrainMs);
  try {
    await app.close();
  } finally {
    clearTimeout(deadline);
  }
  process.kill(process.pid, signal);
}
