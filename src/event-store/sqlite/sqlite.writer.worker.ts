import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import type Database from 'better-sqlite3';
import { nameThisThread } from '../../common/thread-name';
import { createBatchAppender } from './sqlite.append-batch';
import { openWriteConnection } from './sqlite.schema';
import type { AppendRequest, FromWriter, ToWriter, WriterData } from './sqlite.writer.protocol';

/**
 * The writer thread: owns the only write connection, so every fsync (commit and checkpoint)
 * blocks this thread and never the main event loop. Requests that arrive while a commit is on
 * disk queue up in the port and are committed together in the next batch.
 */

/** WAL growth (approximate bytes appended) after which the writer checkpoints. */
const CHECKPOINT_AFTER_BYTES = 4 * 1024 * 1024;

if (!parentPort) throw new Error('sqlite.writer.worker must run in a worker thread');
nameThisThread('case-writer');
runWriter(parentPort, (workerData as WriterData).file);

function runWriter(port: MessagePort, file: string): void {
  const send = (message: FromWriter) => port.postMessage(message);

  let db: Database.Database;
  let appendBatch: ReturnType<typeof createBatchAppender>;
  try {
    db = openWriteConnection(file);
    appendBatch = createBatchAppender(db);
  } catch (error) {
    send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    port.close();
    return;
  }

  let queue: AppendRequest[] = [];
  let flushScheduled = false;
  let closeRequested = false;
  let bytesSinceCheckpoint = 0;

  /**
   * `setImmediate` runs after the port has delivered every message already waiting, so a batch
   * holds everything that arrived during the previous commit, not just the first request.
   */
  const scheduleFlush = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(flush);
  };

  const flush = () => {
    flushScheduled = false;
    if (queue.length > 0) {
      const batch = queue;
      queue = [];
      send({ kind: 'committed', outcomes: appendBatch(batch) });
      bytesSinceCheckpoint += batch.reduce((sum, request) => sum + approximateBytes(request), 0);
      // After the reply, so a checkpoint's own fsyncs never delay an acknowledgement.
      if (bytesSinceCheckpoint >= CHECKPOINT_AFTER_BYTES) {
        checkpoint(db);
        bytesSinceCheckpoint = 0;
      }
    }
    if (closeRequested && queue.length === 0) {
      // If this is the last connection to the file, closing checkpoints the whole WAL.
      db.close();
      port.close();
    }
  };

  port.on('message', (message: ToWriter) => {
    switch (message.kind) {
      case 'append':
        queue.push(message.request);
        break;
      case 'ping':
        send({ kind: 'pong', pingId: message.pingId });
        return;
      case 'close':
        closeRequested = true;
        break;
    }
    scheduleFlush();
  });
  send({ kind: 'ready' });
}

function checkpoint(db: Database.Database): void {
  try {
    // PASSIVE never waits for readers; whatever it cannot copy now is copied next time.
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A failed checkpoint loses nothing (the WAL still holds the data); the next one retries.
  }
}

function approximateBytes(request: AppendRequest): number {
  return request.events.reduce(
    (sum, event) => sum + event.data.length + event.metadata.length + request.streamId.length + 128,
    0,
  );
}
