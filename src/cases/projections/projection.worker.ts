import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { nameThisThread } from '../../common/thread-name';
import { openEventStore } from '../../event-store/open-event-store';
import type { EventStore } from '../../event-store/event-store.port';
import {
  ERASURE_STREAM_PREFIX,
  PersonalDataErasures,
} from '../../personal-data/personal-data.erasures';
import type { PersonalDataVault } from '../../personal-data/personal-data.vault';
import { openPersonalDataVault } from '../../personal-data/open-vault';
import { createCaseEventStream } from '../application/case-event-stream.factory';
import { AppendSlot } from './append-slot';
import { ErasureFollower } from './erasure.follower';
import { ProjectionRunner } from './projection.runner';
import type {
  FromProjection,
  LogLevel,
  ProjectionThreadData,
  ToProjection,
} from './projection.worker.protocol';
import { openReadModels, type ReadModelsDatabase } from './read-models.database';

/**
 * The projection thread: its own reader of the event store and the only write connection to
 * the read models, so applying events (folding, JSON, SQLite writes and fsyncs) never takes
 * the main event loop. It runs the same runner and writer the command line's rebuild runs, and
 * reports its checkpoint after every committed batch.
 */

if (!parentPort) throw new Error('projection.worker must run in a worker thread');
nameThisThread('case-projection');
void runProjection(parentPort, workerData as ProjectionThreadData);

async function runProjection(port: MessagePort, data: ProjectionThreadData): Promise<void> {
  const send = (message: FromProjection) => port.postMessage(message);
  const log = (level: LogLevel) => (message: string) => send({ kind: 'log', level, message });

  let store: EventStore | undefined;
  let readModels: ReadModelsDatabase | undefined;
  let vault: PersonalDataVault | undefined;
  let runner: ProjectionRunner;
  let erasures: ErasureFollower;
  let followAppends: () => void;
  const slot = new AppendSlot(data.appended);
  try {
    // Read-only: on the embedded store the main thread's writer owns the file's write lock.
    store = await openEventStore(data, { readOnly: true });
    readModels = openReadModels(data.dataDir);
    vault = await openPersonalDataVault(data);
    // No fold cache: the runner never loads a case, it follows every event once.
    const stream = createCaseEventStream(store, {
      vault,
      appendedElsewhere: () => slot.position,
    });
    port.on('message', (message: ToProjection) => {
      if (message.kind === 'stop') void stop();
      if (message.kind === 'erasure') store?.notifyCommitted(ERASURE_STREAM_PREFIX);
    });
    followAppends = () =>
      void slot.watch(
        (position) => stream.committedElsewhere(position),
        () => stopping !== undefined,
      );
    runner = new ProjectionRunner(stream, readModels, {
      name: data.name,
      maxBatch: data.maxBatch,
      logger: { log: log('log'), warn: log('warn'), error: log('error') },
      onProgress: (progress) =>
        send(
          progress.failure
            ? { kind: 'failed', message: progress.failure, checkpoint: progress.checkpoint }
            : { kind: 'progress', checkpoint: progress.checkpoint },
        ),
    });
    // The thread that writes the read models is the one that re-renders them after an erasure.
    erasures = new ErasureFollower(
      new PersonalDataErasures(store, vault),
      stream,
      vault,
      readModels,
      runner,
      true,
    );
  } catch (error) {
    await vault?.close().catch(() => undefined);
    readModels?.close();
    await store?.close().catch(() => undefined);
    send({ kind: 'unavailable', message: (error as Error).message });
    port.close();
    return;
  }
  send({ kind: 'ready', checkpoint: runner.checkpoint });
  runner.start();
  erasures.start();

  let stopping: Promise<void> | undefined;
  function stop(): Promise<void> {
    stopping ??= (async () => {
      await erasures.stop();
      await runner.stop();
      await vault!.close();
      await store!.close();
      readModels!.close();
      send({ kind: 'stopped' });
      // Nothing else keeps the thread alive: with the port closed it ends on its own.
      port.close();
    })();
    // Ends the watch on the slot, so nothing keeps the thread once its port is closed.
    slot.release();
    return stopping;
  }
  followAppends();
}
