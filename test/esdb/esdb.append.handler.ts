/**
 * `Streams.Append` of the test server, the path of servers before 21.10 (and of appends with
 * per-call credentials): a client stream of one options message then the proposed events,
 * answered once with success or wrong-expected-version in the response body (not as a gRPC
 * error), as servers since 21.x answer. Access denied and an append over the maximum size
 * end the call with the real server's RPC errors; the gRPC deadline is the client's.
 */
import { status, type sendUnaryData, type ServerReadableStream } from '@grpc/grpc-js';
import type { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import { authenticate, authorize, type GrpcFailure } from './esdb.access';
import type { AppendSettings } from './esdb.batch-append.handler';
import type { ExpectedState, ProposedRecord } from './esdb.in-memory-log';
import { maxAppendSizeExceeded, readProposed, sizeOnDisk } from './esdb.proposed';
import { appendSuccess, streamName, wrongExpectedVersion } from './esdb.wire-messages';

export function appendHandler(settings: AppendSettings) {
  return (
    call: ServerReadableStream<AppendReq, AppendResp>,
    callback: sendUnaryData<AppendResp>,
  ): void => {
    const caller = authenticate(call.metadata, settings.users);
    let options: AppendReq.Options | undefined;
    const proposed: ProposedRecord[] = [];
    let size = 0;
    let refused = false;
    const refuse = (failure: GrpcFailure) => {
      if (!refused) callback(failure);
      refused = true;
    };
    const invalid = (details: string) => refuse({ code: status.INVALID_ARGUMENT, details });

    const receive = (request: AppendReq) => {
      if (refused) return;
      if (request.hasOptions()) {
        if (options) return invalid('Options sent twice');
        options = request.getOptions();
        const denied = authorize(caller, {
          kind: 'write',
          streamId: streamName(options?.getStreamIdentifier()),
        });
        if (denied) refuse(denied);
        return;
      }
      const message = request.getProposedMessage();
      if (!options || !message) return invalid('Events before options');
      const event = readProposed(message);
      if ('missing' in event)
        return invalid(`Required Metadata Property '${event.missing}' is missing`);
      proposed.push(event);
      size += sizeOnDisk(event);
      if (size > settings.maxAppendSize) refuse(maxAppendSizeExceeded(settings.maxAppendSize));
    };

    const finish = () => {
      // A call its client gave up on (deadline passed while the server was frozen) writes nothing.
      if (refused || call.cancelled || Date.now() >= Number(call.getDeadline())) return;
      if (!options) return invalid('Append without options');
      const streamId = streamName(options.getStreamIdentifier());
      const expected = expectedState(options);
      const outcome = settings.log.append(streamId, expected, proposed);
      callback(
        null,
        outcome.ok
          ? appendSuccess(outcome.currentRevision, outcome.position)
          : wrongExpectedVersion(expected, outcome.currentRevision),
      );
    };

    call.on('data', (request: AppendReq) => settings.gate.run(() => receive(request)));
    call.on('end', () => settings.gate.run(finish));
  };
}

function expectedState(options: AppendReq.Options): ExpectedState {
  if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}
