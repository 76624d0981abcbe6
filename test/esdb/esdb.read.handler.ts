/**
 * `Streams.Read` of the test server: plain reads of a stream or $all, and subscriptions that
 * confirm, catch up, say they caught up, then stay live, with checkpoints on filtered $all
 * subscriptions. Live calls are tracked so a test can drop them as a real server would on
 * shutdown or leader change. Links resolve on request; reading `$all` or a `$` stream needs an
 * admin on a secure server; nothing is answered while the server is frozen.
 */
import { status, type ServerWritableStream } from '@grpc/grpc-js';
import type { ReadReq, ReadResp } from '@eventstore/db-client/generated/streams_pb';
import { authenticate, authorize, type Users } from './esdb.access';
import type { FreezeGate } from './esdb.freeze';
import type { InMemoryEventLog, StoredRecord } from './esdb.in-memory-log';
import { planRead, selectRecords, UnsupportedReadOption, type ReadPlan } from './esdb.read-plan';
import {
  caughtUpMessage,
  checkpointMessage,
  confirmationMessage,
  eventMessage,
  streamNotFoundMessage,
} from './esdb.wire-messages';

type ReadCall = ServerWritableStream<ReadReq, ReadResp>;

export class ReadHandler {
  private readonly live = new Set<ReadCall>();

  constructor(
    private readonly log: InMemoryEventLog,
    private readonly gate: FreezeGate,
    private readonly users: Users | undefined,
  ) {}

  readonly read = (call: ReadCall): void => this.gate.run(() => this.answer(call));

  private answer(call: ReadCall): void {
    if (call.cancelled) return;
    let plan: ReadPlan;
    try {
      plan = planRead(call.request);
    } catch (error) {
      if (!(error instanceof UnsupportedReadOption)) throw error;
      call.emit('error', { code: status.UNIMPLEMENTED, details: error.message });
      return;
    }
    const caller = authenticate(call.metadata, this.users);
    const denied = authorize(caller, { kind: 'read', streamId: plan.streamId });
    if (denied) {
      call.emit('error', denied);
      return;
    }
    if (plan.subscription) this.subscribe(call, plan);
    else this.readOnce(call, plan);
  }

  /** Ends every live subscription with `code`, the way a stopping or demoted node does. */
  dropSubscriptions(code: status = status.UNAVAILABLE): number {
    const dropped = [...this.live];
    this.live.clear();
    for (const call of dropped)
      call.emit('error', { code, details: 'Subscription dropped by the server' });
    return dropped.length;
  }

  private readOnce(call: ReadCall, plan: ReadPlan): void {
    if (plan.streamId !== undefined && !this.log.stream(plan.streamId)) {
      call.write(streamNotFoundMessage(plan.streamId));
    } else {
      for (const record of selectRecords(plan, this.log)) call.write(this.message(plan, record));
    }
    call.end();
  }

  private subscribe(call: ReadCall, plan: ReadPlan): void {
    const deliver = this.deliverer(call, plan);
    call.write(confirmationMessage());
    // Catch-up and going live happen in one turn of the event loop, so no append falls between.
    for (const record of selectRecords(plan, this.log)) deliver(record);
    call.write(caughtUpMessage());
    const stopListening = this.log.onAppended((record) => this.gate.run(() => deliver(record)));
    this.live.add(call);
    const forget = () => {
      stopListening();
      this.live.delete(call);
    };
    call.on('cancelled', forget);
    call.on('finish', forget);
    call.on('error', forget);
  }

  private deliverer(call: ReadCall, plan: ReadPlan): (record: StoredRecord) => void {
    let scannedSinceCheckpoint = 0;
    return (record) => {
      if (plan.streamId !== undefined && record.streamId !== plan.streamId) return;
      if (call.cancelled) return;
      if (plan.matches(record)) call.write(this.message(plan, record));
      if (plan.checkpointInterval > 0 && ++scannedSinceCheckpoint >= plan.checkpointInterval) {
        scannedSinceCheckpoint = 0;
        call.write(checkpointMessage(record.position));
      }
    };
  }

  private message(plan: ReadPlan, record: StoredRecord): ReadResp {
    const target = plan.resolveLinks ? this.log.resolveLink(record) : undefined;
    return target ? eventMessage(target, record) : eventMessage(record);
  }
}
