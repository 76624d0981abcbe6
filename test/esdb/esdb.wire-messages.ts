/**
 * Builds the protobuf answers of the test server with the client package's own generated
 * classes, so what goes over the wire is exactly what a real server's messages decode to.
 */
import { randomUUID } from 'node:crypto';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import { AppendResp, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import type { ExpectedState, StoredRecord } from './esdb.in-memory-log';

export const streamIdentifier = (streamId: string): StreamIdentifier => {
  const identifier = new StreamIdentifier();
  identifier.setStreamName(Uint8Array.from(Buffer.from(streamId, 'utf8')));
  return identifier;
};

export const streamName = (identifier: StreamIdentifier | undefined): string =>
  Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');

function recordedEvent(record: StoredRecord): ReadResp.ReadEvent.RecordedEvent {
  const recorded = new ReadResp.ReadEvent.RecordedEvent();
  const id = new UUID();
  id.setString(record.id);
  recorded.setId(id);
  recorded.setStreamIdentifier(streamIdentifier(record.streamId));
  recorded.setStreamRevision(record.revision.toString());
  recorded.setPreparePosition(record.position.toString());
  recorded.setCommitPosition(record.position.toString());
  const metadata = recorded.getMetadataMap();
  metadata.set('type', record.type);
  metadata.set('content-type', record.contentType);
  metadata.set('created', record.createdTicks.toString());
  recorded.setCustomMetadata(record.customMetadata);
  recorded.setData(record.data);
  return recorded;
}

/**
 * One event of a read. With `link`, the record is what the link resolved to: the server sends
 * both, and the position is the link's, since the link is what was read.
 */
export function eventMessage(record: StoredRecord, link?: StoredRecord): ReadResp {
  const event = new ReadResp.ReadEvent();
  event.setEvent(recordedEvent(record));
  if (link) event.setLink(recordedEvent(link));
  // Servers since 22.6 report the $all position on stream reads too (non-transaction events).
  event.setCommitPosition((link ?? record).position.toString());
  const response = new ReadResp();
  response.setEvent(event);
  return response;
}

export function confirmationMessage(): ReadResp {
  const confirmation = new ReadResp.SubscriptionConfirmation();
  confirmation.setSubscriptionId(randomUUID());
  const response = new ReadResp();
  response.setConfirmation(confirmation);
  return response;
}

export function caughtUpMessage(): ReadResp {
  const response = new ReadResp();
  response.setCaughtUp(new ReadResp.CaughtUp());
  return response;
}

export function checkpointMessage(position: bigint): ReadResp {
  const checkpoint = new ReadResp.Checkpoint();
  checkpoint.setCommitPosition(position.toString());
  checkpoint.setPreparePosition(position.toString());
  const response = new ReadResp();
  response.setCheckpoint(checkpoint);
  return response;
}

export function streamNotFoundMessage(streamId: string): ReadResp {
  const notFound = new ReadResp.StreamNotFound();
  notFound.setStreamIdentifier(streamIdentifier(streamId));
  const response = new ReadResp();
  response.setStreamNotFound(notFound);
  return response;
}

export function appendSuccess(
  currentRevision: bigint | undefined,
  position: bigint | undefined,
): AppendResp {
  const success = new AppendResp.Success();
  if (currentRevision === undefined) success.setNoStream(new Empty());
  else success.setCurrentRevision(currentRevision.toString());
  if (position === undefined) success.setNoPosition(new Empty());
  else {
    const at = new AppendResp.Position();
    at.setCommitPosition(position.toString());
    at.setPreparePosition(position.toString());
    success.setPosition(at);
  }
  const response = new AppendResp();
  response.setSuccess(success);
  return response;
}

/** The deprecated `_2060` fields are left empty: clients since 21.x read only the current ones. */
export function wrongExpectedVersion(
  expected: ExpectedState,
  currentRevision: bigint | undefined,
): AppendResp {
  const wrong = new AppendResp.WrongExpectedVersion();
  if (currentRevision === undefined) {
    wrong.setCurrentNoStream(new Empty());
  } else {
    wrong.setCurrentRevision(currentRevision.toString());
  }
  switch (expected.kind) {
    case 'any':
      wrong.setExpectedAny(new Empty());
      break;
    case 'no_stream':
      wrong.setExpectedNoStream(new Empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(new Empty());
      break;
    case 'revision':
      wrong.setExpectedRevision(expected.revision.toString());
      break;
  }
  const response = new AppendResp();
  response.setWrongExpectedVersion(wrong);
  return response;
}
