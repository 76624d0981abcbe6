import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every metric the service exports, on its own registry (not prom-client's global one): a test
 * process builds many apps, and each must count only its own traffic. Names follow Prometheus'
 * conventions (base units, `_total` counters); docs/operations.md describes each with an alert.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status code, and how long they took.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'case_commands_total',
    help: 'Case commands by type and outcome (accepted, no-op, replayed, refused, conflict-retried, 412, 409, failed).',
    labelNames: ['command', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'event_store_append_duration_seconds',
    help: 'Time from asking the event store to append to its answer (durable on success).',
    labelNames: ['store'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly groupCommitSize = new Histogram({
    name: 'event_store_group_commit_appends',
    help: 'Appends committed together in one transaction by the embedded store (group commit).',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [this.registry],
  });

  readonly storeErrors = new Counter({
    name: 'event_store_errors_total',
    help: 'Failed event store calls by operation and kind (unavailable, conflict, other).',
    labelNames: ['operation', 'kind'] as const,
    registers: [this.registry],
  });

  readonly feedConnections = new Gauge({
    name: 'case_event_feed_connections',
    help: 'Open GET /case-events streams.',
    registers: [this.registry],
  });

  readonly inFlight = new Gauge({
    name: 'http_requests_in_flight',
    help: 'HTTP requests being handled, event streams excluded.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
