/**
 * The answers of `Streams.BatchAppend`, built as the real server builds them: one response
 * per append (correlation id and stream echoed), either a success with the current revision and
 * position, or a `google.rpc.Status` whose code and packed detail say what went wrong
 * (WrongExpectedVersion → ALREADY_EXISTS, AccessDenied → PERMISSION_DENIED, Timeout →
 * DEADLINE_EXCEEDED, MaximumAppendSizeExceeded and BadRequest → INVALID_ARGUMENT).
 */
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { Empty } from 'google-protobuf/google/protobuf/empty_pb';
import {
  AccessDenied,
  AllStreamPosition,
  BadRequest,
  MaximumAppendSizeExceeded,
  Timeout,
  WrongExpectedVersion,
  type UUID,
} from '@eventstore/db-client/generated/shared_pb';
import { Code } from '@eventstore/db-client/generated/code_pb';
import { Status } from '@eventstore/db-client/generated/status_pb';
import { BatchAppendResp } from '@eventstore/db-client/generated/streams_pb';
import type { ExpectedState } from './esdb.in-memory-log';
import { streamIdentifier } from './esdb.wire-messages';

export function batchSuccess(
  correlationId: UUID | undefined,
  streamId: string,
  currentRevision: bigint | undefined,
  position: bigint | undefined,
): BatchAppendResp {
  const success = new BatchAppendResp.Success();
  if (currentRevision === undefined) success.setNoStream(new Empty());
  else success.setCurrentRevision(currentRevision.toString());
  if (position === undefined) success.setNoPosition(new Empty());
  else {
    const at = new AllStreamPosition();
    at.setCommitPosition(position.toString());
    at.setPreparePosition(position.toString());
    success.setPosition(at);
  }
  return response(correlationId, streamId).setSuccess(success);
}

export function batchError(
  correlationId: UUID | undefined,
  streamId: string,
  error: Status,
): BatchAppendResp {
  return response(correlationId, streamId).setError(error);
}

function response(correlationId: UUID | undefined, streamId: string): BatchAppendResp {
  const answer = new BatchAppendResp();
  answer.setCorrelationId(correlationId);
  answer.setStreamIdentifier(streamIdentifier(streamId));
  return answer;
}

function status(
  code: Code,
  message: string,
  detail: { serializeBinary(): Uint8Array },
  type: string,
) {
  const details = new Any();
  details.pack(detail.serializeBinary(), `event_store.client.${type}`);
  return new Status().setCode(code).setMessage(message).setDetails(details);
}

export function wrongExpectedVersionStatus(
  expected: ExpectedState,
  currentRevision: bigint | undefined,
): Status {
  const detail = new WrongExpectedVersion();
  if (currentRevision === undefined) detail.setCurrentNoStream(new Empty());
  else detail.setCurrentStreamRevision(currentRevision.toString());
  if (expected.kind === 'revision') detail.setExpectedStreamPosition(expected.revision.toString());
  else if (expected.kind === 'no_stream') detail.setExpectedNoStream(new Empty());
  else if (expected.kind === 'stream_exists') detail.setExpectedStreamExists(new Empty());
  else detail.setExpectedAny(new Empty());
  return status(Code.ALREADY_EXISTS, 'WrongExpectedVersion', detail, 'WrongExpectedVersion');
}

export const accessDeniedStatus = (): Status =>
  status(Code.PERMISSION_DENIED, 'AccessDenied', new AccessDenied(), 'AccessDenied');

export const timeoutStatus = (): Status =>
  status(Code.DEADLINE_EXCEEDED, 'Timeout', new Timeout(), 'Timeout');

export const maxAppendSizeStatus = (maxAppendSize: number): Status =>
  status(
    Code.INVALID_ARGUMENT,
    'MaximumAppendSizeExceeded',
    new MaximumAppendSizeExceeded().setMaxappendsize(maxAppendSize),
    'MaximumAppendSizeExceeded',
  );

export const badRequestStatus = (message: string): Status =>
  status(Code.INVALID_ARGUMENT, 'BadRequest', new BadRequest().setMessage(message), 'BadRequest');
