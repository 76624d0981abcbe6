/**
 * What unread `GET /case-events` streams cost the service (issue 12): clients that open the
 * feed from the start and never read, so every byte the service is willing to buffer for
 * them stays in its memory. Two shapes: many streams over ordinary events, and a few over
 * 200 KB events. RSS is the kernel's figure for the compiled service's process; latency is
 * `GET /cases/{id}` from one other client before and while the streams are open.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import type { EventToAppend } from '../src/event-store/event-store.port';
import { openSqliteEventStore } from '../src/event-store/sqlite/sqlite.event-store';
import { caseHistoryEvents } from './support/load-events';
import { percentile } from './support/http-mix';
import {
  BASE_PATH,
  envNumber,
  guardProcess,
  HOST,
  makeTempDir,
  removeTempDir,
  startService,
  type RunningService,
} from './support/http-service';

const STREAMS = envNumber('BENCH_FEED_STREAMS', 200);
const CASES = envNumber('BENCH_FEED_CASES', 2_000);
const LARGE_STREAMS = envNumber('BENCH_FEED_LARGE_STREAMS', 5);
const LARGE_EVENTS = 50;
const LARGE_BYTES = 200 * 1024;
const SETTLE_MS = 3_000;
const BATCH = 20;
const QUIET_MS = envNumber('BENCH_FEED_QUIET_MS', 30_000);

guardProcess('feed-memory.bench', 1_200);

async function main(): Promise<void> {
  console.log(`# feed-memory.bench: unread feed streams, RSS of the service (MiB)`);
  const ordinary = await scenario(
    `${STREAMS} unread streams over ${CASES * 10} ordinary events`,
    STREAMS,
    (i) => caseHistoryEvents(caseId(i), 10),
    CASES,
  );
  const large = await scenario(
    `${LARGE_STREAMS} unread streams over ${LARGE_EVENTS} events of 200 KB`,
    LARGE_STREAMS,
    (i) => [withLargeParameter(caseHistoryEvents(caseId(i), 1)[0]!)],
    LARGE_EVENTS,
  );
  console.log('');
  console.log(
    `| scenario | RSS before | streams just blocked | after ${QUIET_MS / 1000} s quiet | added (quiet) | per stream | GET p50 / p99 before (ms) | while open (ms) |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of [ordinary, large]) console.log(row);
}

const caseId = (i: number) =>
  `CAS-8000-${String(Math.floor(i / 10_000)).padStart(4, '0')}-${String(i % 10_000).padStart(4, '0')}`;

/** A case created with one parameter whose value is 200 KB of text. */
function withLargeParameter(event: EventToAppend): EventToAppend {
  const data = event.data as { parameters: Array<{ value: unknown }> };
  const [first, ...rest] = data.parameters;
  return {
    ...event,
    data: { ...data, parameters: [{ ...first, value: 'x'.repeat(LARGE_BYTES) }, ...rest] },
  };
}

async function scenario(
  name: string,
  streams: number,
  eventsOf: (i: number) => EventToAppend[],
  cases: number,
): Promise<string> {
  const dataDir = makeTempDir('case-bench-feed-');
  try {
    const store = await openSqliteEventStore({ dataDir });
    for (let i = 0; i < cases; i++) {
      await store.appendToStream(`case-${caseId(i)}`, eventsOf(i), {
        expectedRevision: 'no_stream',
      });
    }
    await store.close();
    const service = await startService({
      dataDir,
      env: { FEED_MAX_CONNECTIONS: String(streams + 10) },
    });
    try {
      await latency(service, 50); // warm-up
      await delay(SETTLE_MS);
      const before = service.memory().rssMiB;
      const quiet = await latency(service, 300);
      // Every stream fills its socket (the kernel takes megabytes on loopback) before it
      // blocks; opened in batches, so the first ones' catch-up does not starve the rest.
      const sockets: Socket[] = [];
      let idleAfter = 0;
      for (let opened = 0; opened < streams; opened += BATCH) {
        const batch = Array.from({ length: Math.min(BATCH, streams - opened) }, () =>
          unreadStream(service),
        );
        sockets.push(...(await Promise.all(batch)));
        idleAfter += await untilIdle(service.pid);
      }
      const busy = await latency(service, 300);
      const open = service.memory().rssMiB;
      // Filling the sockets made garbage; V8's memory reducer collects it once allocation
      // slows, so the figure after a quiet spell is what the open streams keep.
      await delay(QUIET_MS);
      const settled = service.memory().rssMiB;
      sockets.forEach((socket) => socket.destroy());
      const added = settled - before;
      console.log(
        `${name}: ${before.toFixed(1)} -> ${open.toFixed(1)} -> ${settled.toFixed(1)} MiB; ` +
          `streams blocked after ${idleAfter} s`,
      );
      return (
        `| ${name} | ${before.toFixed(1)} | ${open.toFixed(1)} | ${settled.toFixed(1)} | ` +
        `${added.toFixed(1)} | ${(added / streams).toFixed(2)} | ${quiet} | ${busy} |`
      );
    } finally {
      await service.stop();
    }
  } finally {
    removeTempDir(dataDir);
  }
}

/**
 * A feed request from the first event on a socket read once (to see the stream was served,
 * `200` and not a refusal) and never again.
 */
function unreadStream(service: RunningService): Promise<Socket> {
  const { port } = new URL(service.baseUrl);
  const socket = connect(Number(port), HOST);
  socket.on('error', () => undefined);
  socket.write(
    `GET ${BASE_PATH}/case-events?after=0 HTTP/1.1\r\nHost: ${HOST}\r\n` +
      `Authorization: Bearer ${service.token}\r\nAccept: text/event-stream\r\n\r\n`,
  );
  return new Promise((resolve, reject) =>
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      if (chunk.toString('latin1').startsWith('HTTP/1.1 200')) resolve(socket);
      else reject(new Error(`feed refused: ${chunk.toString('latin1').split('\r\n')[0]}`));
    }),
  );
}

/** Seconds until the process uses under 5% of a core over a second (at most 120 s). */
async function untilIdle(pid: number): Promise<number> {
  const cpuTicks = () => {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime, in 1/100 s
  };
  const started = Date.now();
  let last = cpuTicks();
  while (Date.now() - started < 120_000) {
    await delay(1_000);
    const now = cpuTicks();
    if (now - last < 5) break;
    last = now;
  }
  return Math.round((Date.now() - started) / 1000);
}

async function latency(service: RunningService, count: number): Promise<string> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(`${service.baseUrl}${BASE_PATH}/cases/${caseId(i % 10)}`, {
      headers: { authorization: `Bearer ${service.token}` },
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET answered ${response.status}`);
    times.push(performance.now() - started);
  }
  return `${percentile(times, 50).toFixed(1)} / ${percentile(times, 99).toFixed(1)}`;
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  })
  .finally(() => setTimeout(() => process.exit(), 100).unref());
