/**
 * What both append paths of the test server share: reading a proposed event off the wire and
 * measuring an append the way the real server does (`Event.SizeOnDisk`: data bytes, custom
 * metadata bytes and two bytes per character of the event type, summed over the append), to
 * refuse anything over the maximum append size (`MaxAppendSize`, 1 MiB by default).
 */
import { randomUUID } from 'node:crypto';
import { Metadata, status } from '@grpc/grpc-js';
import type { UUID } from '@eventstore/db-client/generated/shared_pb';
import type { GrpcFailure } from './esdb.access';
import type { ProposedRecord } from './esdb.in-memory-log';

export const DEFAULT_MAX_APPEND_SIZE = 1_048_576;

/** Metadata keys every proposed event must carry; a real server refuses the append without them. */
const REQUIRED_METADATA = ['type', 'content-type'] as const;

interface ProposedMessage {
  getId(): UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

/** The proposed event, or the name of the first required metadata key it lacks. */
export function readProposed(message: ProposedMessage): ProposedRecord | { missing: string } {
  const metadata = message.getMetadataMap();
  const missing = REQUIRED_METADATA.find((key) => !metadata.get(key));
  if (missing) return { missing };
  return {
    id: message.getId()?.getString() || randomUUID(),
    type: metadata.get('type') ?? '',
    contentType: metadata.get('content-type') ?? '',
    data: message.getData_asU8(),
    customMetadata: message.getCustomMetadata_asU8(),
  };
}

export const sizeOnDisk = (record: ProposedRecord): number =>
  record.data.length + record.customMetadata.length + record.type.length * 2;

/** How the plain `Append` call fails: an RPC error with the limit in its trailers. */
export function maxAppendSizeExceeded(maxAppendSize: number): GrpcFailure {
  const metadata = new Metadata();
  metadata.set('exception', 'maximum-append-size-exceeded');
  metadata.set('maximum-append-size', String(maxAppendSize));
  return {
    code: status.INVALID_ARGUMENT,
    details: `Maximum Append Size of ${maxAppendSize} Exceeded.`,
    metadata,
  };
}
