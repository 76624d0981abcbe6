import type { Writable } from 'node:stream';
import { caseStreamId } from '../cases/application/case-event.codec';
import type { CaseEventStream } from '../cases/application/case-event-stream';
import type { SerializedEvent } from '../event-store/event-store.port';
import { EXIT, notFoundError, type ExitCode } from './audit.errors';
import { CaseStreamVerifier, type Anomaly } from './case-stream.verifier';
import { OutputSink } from './output.sink';
import { describeThroughput, startProgress } from './progress.reporter';

export interface VerifyOptions {
  /** Only this case's stream; every case stream otherwise. */
  readonly caseId?: string;
  readonly json?: boolean;
}

export interface VerifyResult {
  readonly exitCode: ExitCode;
  readonly events: number;
  readonly streams: number;
  readonly anomalies: number;
}

/**
 * Replays every case stream (or one) and reports each anomaly as it is found: anomalies go to
 * `out` (a line each, or with `json` one JSON document), the summary and progress to `err`.
 * Exits 1 when anything was found.
 */
export async function runVerify(
  stream: CaseEventStream,
  options: VerifyOptions,
  out: Writable,
  err: Writable,
): Promise<VerifyResult> {
  const startedAt = process.hrtime.bigint();
  const verifier = new CaseStreamVerifier();
  const sink = new OutputSink(out);
  const progress = startProgress('verify', err, {
    head: options.caseId === undefined ? await stream.headPosition() : undefined,
  });
  let first = true;
  try {
    if (options.json) await sink.write('{"anomalies":[');
    const report = async (anomalies: readonly Anomaly[]) => {
      for (const anomaly of anomalies) {
        await sink.write(
          options.json ? `${first ? '\n' : ',\n'}${JSON.stringify(anomaly)}` : describe(anomaly),
        );
        first = false;
      }
    };
    for await (const page of pagesToVerify(stream, options.caseId)) {
      for (const stored of page) {
        const pause = progress.tick(stored.position);
        if (pause) await pause;
        const anomalies = verifier.inspect(stored);
        if (anomalies.length > 0) await report(anomalies);
      }
    }
  } finally {
    progress.stop();
  }
  if (options.caseId !== undefined && verifier.events === 0) {
    throw notFoundError(
      `No case ${options.caseId}: stream ${caseStreamId(options.caseId)} has no events.`,
    );
  }
  const { events, streamCount: streams, anomalies } = verifier;
  if (options.json)
    await sink.write(`\n],"streams":${streams},"events":${events},"anomalyCount":${anomalies}}\n`);
  await sink.close();
  err.write(
    `verify: ${anomalies === 0 ? 'no anomalies' : `${anomalies.toLocaleString('en-US')} anomalies`} in ` +
      `${streams.toLocaleString('en-US')} case streams; ${describeThroughput(events, startedAt)}\n`,
  );
  return { exitCode: anomalies === 0 ? EXIT.ok : EXIT.anomalies, events, streams, anomalies };
}

function pagesToVerify(
  stream: CaseEventStream,
  caseId: string | undefined,
): AsyncIterable<readonly SerializedEvent[]> {
  return caseId === undefined ? stream.readAllSerialized() : stream.serializedEvents(caseId);
}

function describe(anomaly: Anomaly): string {
  return `${anomaly.streamId} revision ${anomaly.revision} (position ${anomaly.position}, ${anomaly.type}): ${anomaly.problem}\n`;
}
