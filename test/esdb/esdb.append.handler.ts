/**
 * `Streams.Append` of the test server: a client stream of one options message then the
 * proposed events, answered once with success or wrong-expected-version in the response
 * body (not as a gRPC error), as servers since 21.x answer.
 */
import { randomUUID } from 'node:crypto';
import { status, type sendUnaryData, type ServerReadableStream } from '@grpc/grpc-js';
import type { AppendReq, AppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { ExpectedState, InMemoryEventLog, ProposedRecord } from './esdb.in-memory-log';
import { appendSuccess, streamName, wrongExpectedVersion } from './esdb.wire-messages';

/** Metadata keys every proposed event must carry; a real server refuses the append without them. */
const REQUIRED_METADATA = ['type', 'content-type'] as const;

export function appendHandler(log: InMemoryEventLog) {
  return (
    call: ServerReadableStream<AppendReq, AppendResp>,
    callback: sendUnaryData<AppendResp>,
  ): void => {
    let options: AppendReq.Options | undefined;
    const proposed: ProposedRecord[] = [];
    let refused = false;
    const refuse = (code: status, details: string) => {
      if (!refused) callback({ code, details });
      refused = true;
    };

    call.on('data', (request: AppendReq) => {
      if (request.hasOptions()) {
        if (options) refuse(status.INVALID_ARGUMENT, 'Options sent twice');
        options = request.getOptions();
        return;
      }
      const message = request.getProposedMessage();
      if (!options || !message) return refuse(status.INVALID_ARGUMENT, 'Events before options');
      const metadata = message.getMetadataMap();
      const missing = REQUIRED_METADATA.filter((key) => !metadata.get(key));
      if (missing.length > 0)
        return refuse(status.INVALID_ARGUMENT, `Missing metadata: ${missing.join(', ')}`);
      proposed.push({
        id: message.getId()?.getString() || randomUUID(),
        type: metadata.get('type') ?? '',
        contentType: metadata.get('content-type') ?? '',
        data: message.getData_asU8(),
        customMetadata: message.getCustomMetadata_asU8(),
      });
    });

    call.on('end', () => {
      if (refused) return;
      if (!options) return refuse(status.INVALID_ARGUMENT, 'Append without options');
      const streamId = streamName(options.getStreamIdentifier());
      const expected = expectedState(options);
      const outcome = log.append(streamId, expected, proposed);
      callback(
        null,
        outcome.ok
          ? appendSuccess(outcome.currentRevision, outcome.position)
          : wrongExpectedVersion(expected, outcome.currentRevision),
      );
    });
  };
}

function expectedState(options: AppendReq.Options): ExpectedState {
  if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}
