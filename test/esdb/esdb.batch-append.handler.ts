/**
 * `Streams.BatchAppend` of the test server, the path `@eventstore/db-client` takes for every
 * append without per-call credentials once the server advertises it. One long-lived duplex call
 * carries many appends: each is a run of requests sharing a correlation id, the first with the
 * options (stream, expected revision, deadline), the last marked final. Each append gets exactly
 * one response carrying its correlation id: a success, or an error status (access denied,
 * timeout once its deadline or the server's write timeout has passed, maximum append size
 * exceeded, bad request, wrong expected version). Follows the server's BatchAppendWorker.
 */
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { UUID } from '@eventstore/db-client/generated/shared_pb';
import type { BatchAppendReq, BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { Status } from '@eventstore/db-client/generated/status_pb';
import { authenticate, authorize, type Users } from './esdb.access';
import {
  accessDeniedStatus,
  badRequestStatus,
  batchError,
  batchSuccess,
  maxAppendSizeStatus,
  timeoutStatus,
  wrongExpectedVersionStatus,
} from './esdb.batch-messages';
import type { FreezeGate } from './esdb.freeze';
import type { ExpectedState, InMemoryEventLog, ProposedRecord } from './esdb.in-memory-log';
import { readProposed, sizeOnDisk } from './esdb.proposed';
import { streamName } from './esdb.wire-messages';

export interface AppendSettings {
  readonly log: InMemoryEventLog;
  readonly gate: FreezeGate;
  readonly users: Users | undefined;
  readonly maxAppendSize: number;
  /** The server's own bound on a write (`WriteTimeoutMs`, 2 s by default). */
  readonly writeTimeoutMs: number;
}

interface PendingWrite {
  readonly correlationId: UUID | undefined;
  readonly streamId: string;
  readonly expected: ExpectedState;
  readonly proposed: ProposedRecord[];
  size: number;
  readonly timer: NodeJS.Timeout;
}

type BatchCall = ServerDuplexStream<BatchAppendReq, BatchAppendResp>;

export function batchAppendHandler(settings: AppendSettings) {
  return (call: BatchCall): void => {
    const caller = authenticate(call.metadata, settings.users);
    if (caller && 'code' in caller) {
      settings.gate.run(() => call.emit('error', caller));
      return;
    }
    const pending = new Map<string, PendingWrite>();
    const send = (answer: BatchAppendResp) => {
      if (!call.cancelled && call.writable) call.write(answer);
    };
    const fail = (write: PendingWrite, error: Status) => {
      clearTimeout(write.timer);
      pending.delete(correlationKey(write.correlationId));
      send(batchError(write.correlationId, write.streamId, error));
    };

    const begin = (request: BatchAppendReq, options: BatchAppendReq.Options) => {
      const correlationId = request.getCorrelationId();
      const streamId = streamName(options.getStreamIdentifier());
      if (authorize(caller, { kind: 'write', streamId })) {
        return send(batchError(correlationId, streamId, accessDeniedStatus()));
      }
      if (!options.hasStreamIdentifier()) {
        return send(batchError(correlationId, streamId, badRequestStatus('StreamIdentifier')));
      }
      const requested = options.hasDeadline()
        ? options.getDeadline()!.toDate().getTime() - Date.now()
        : Number.POSITIVE_INFINITY;
      const timeoutMs = Math.min(requested, settings.writeTimeoutMs);
      if (timeoutMs <= 0) return send(batchError(correlationId, streamId, timeoutStatus()));
      const key = correlationKey(correlationId);
      if (pending.has(key)) return;
      const write: PendingWrite = {
        correlationId,
        streamId,
        expected: expectedState(options),
        proposed: [],
        size: 0,
        // Fires only for an append whose final request never came; the gate holds it while frozen.
        timer: setTimeout(
          () => settings.gate.run(() => pending.has(key) && fail(write, timeoutStatus())),
          timeoutMs,
        ),
      };
      pending.set(key, write);
    };

    const receive = (request: BatchAppendReq) => {
      const options = request.getOptions();
      if (options) begin(request, options);
      const write = pending.get(correlationKey(request.getCorrelationId()));
      if (!write) return;
      for (const message of request.getProposedMessagesList()) {
        const proposed = readProposed(message);
        if ('missing' in proposed) return fail(write, badRequestStatus(proposed.missing));
        write.proposed.push(proposed);
        write.size += sizeOnDisk(proposed);
      }
      if (write.size > settings.maxAppendSize) {
        return fail(write, maxAppendSizeStatus(settings.maxAppendSize));
      }
      if (!request.getIsFinal()) return;
      clearTimeout(write.timer);
      pending.delete(correlationKey(write.correlationId));
      const outcome = settings.log.append(write.streamId, write.expected, write.proposed);
      send(
        outcome.ok
          ? batchSuccess(
              write.correlationId,
              write.streamId,
              outcome.currentRevision,
              outcome.position,
            )
          : batchError(
              write.correlationId,
              write.streamId,
              wrongExpectedVersionStatus(write.expected, outcome.currentRevision),
            ),
      );
    };

    call.on('data', (request: BatchAppendReq) => settings.gate.run(() => receive(request)));
    call.on('end', () => settings.gate.run(() => call.end()));
    call.on('cancelled', () => {
      for (const write of pending.values()) clearTimeout(write.timer);
      pending.clear();
    });
  };
}

function correlationKey(id: UUID | undefined): string {
  if (!id) return '';
  if (id.hasStructured()) {
    const structured = id.getStructured()!;
    return `${structured.getMostSignificantBits()}:${structured.getLeastSignificantBits()}`;
  }
  return id.getString();
}

function expectedState(options: BatchAppendReq.Options): ExpectedState {
  if (options.hasStreamPosition()) {
    return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
  }
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}
