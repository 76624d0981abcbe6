/**
 * What sealing personal data costs (docs/personal-data.md): the same case histories written to
 * two embedded stores, one in clear and one sealed through `CaseEventPrivacy`, then replayed
 * through `CaseEventStream.readAll` (what the read models and the feed do) and loaded one case
 * at a time (`history`, what a cold `GET /cases/{id}` does). Also the seal cost per event, as
 * the command pipeline pays it on append. The command mix with encryption on is http.bench.ts.
 *
 *   BENCH_PII_CASES    cases written (default 200)
 *   BENCH_PII_EVENTS   events per case (default 50)
 *   BENCH_PII_REPS     measured replays (default 5, after one warm one)
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { CaseEventPrivacy } from '../src/cases/application/case-event.privacy';
import { CaseEventStream } from '../src/cases/application/case-event-stream';
import type { EventStore, EventToAppend } from '../src/event-store/event-store.port';
import { openSqliteEventStore } from '../src/event-store/sqlite/sqlite.event-store';
import { PersonalDataVault } from '../src/personal-data/personal-data.vault';
import { openKeyStore } from '../src/personal-data/sqlite.key-store';
import { guardProcess, envNumber, makeTempDir, removeTempDir } from './support/http-service';
import { caseHistoryEvents } from './support/load-events';

const CASES = envNumber('BENCH_PII_CASES', 200);
const EVENTS = envNumber('BENCH_PII_EVENTS', 50);
const REPS = Math.max(1, envNumber('BENCH_PII_REPS', 5));

guardProcess('personal-data.bench', 600);

const caseIdOf = (i: number) => `CAS-9100-0000-${String(i).padStart(4, '0')}`;
const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;

async function main(): Promise<void> {
  const [l1, l5, l15] = loadavg();
  console.log(`# personal-data.bench: ${CASES} cases x ${EVENTS} events, ${REPS} measured replays`);
  console.log(`load average at start: ${l1!.toFixed(2)} ${l5!.toFixed(2)} ${l15!.toFixed(2)}`);
  const plainDir = makeTempDir('case-bench-pii-plain-');
  const sealedDir = makeTempDir('case-bench-pii-sealed-');
  const plain = await openSqliteEventStore({ dataDir: plainDir });
  const sealed = await openSqliteEventStore({ dataDir: sealedDir });
  const vault = await PersonalDataVault.open(openKeyStore(sealedDir), randomBytes(32));
  const privacy = new CaseEventPrivacy(vault);
  try {
    const histories = Array.from({ length: CASES }, (_, i) =>
      caseHistoryEvents(caseIdOf(i), EVENTS),
    );
    let sealMs = 0;
    for (const [i, events] of histories.entries()) {
      const reporterId = (events[0]!.data as { reporter: { id: string } }).reporter.id;
      const start = process.hrtime.bigint();
      const sealedEvents = await privacy.seal(events, reporterId);
      sealMs += ms(start);
      await append(plain, caseIdOf(i), events);
      await append(sealed, caseIdOf(i), sealedEvents);
    }
    const total = CASES * EVENTS;
    console.log(`seal: ${((sealMs * 1000) / total).toFixed(1)} µs per event (${total} events)`);
    const rows = [
      await replay('in clear', new CaseEventStream(plain), total),
      await replay('sealed', new CaseEventStream(sealed, undefined, undefined, privacy), total),
    ];
    console.log('');
    console.log('| store | readAll replay events/s (median) | history of one case, median ms |');
    console.log('| ----- | -------------------------------- | ------------------------------ |');
    for (const row of rows) console.log(row.line);
    const overhead = (1 - rows[1]!.rate / rows[0]!.rate) * 100;
    const loadOverhead = (rows[1]!.loadMs / rows[0]!.loadMs - 1) * 100;
    console.log('');
    console.log(
      `replay overhead with encryption: ${overhead.toFixed(1)} % fewer events/s; one-case load: +${loadOverhead.toFixed(1)} %`,
    );
  } finally {
    await vault.close();
    await plain.close();
    await sealed.close();
    removeTempDir(plainDir);
    removeTempDir(sealedDir);
  }
}

async function append(store: EventStore, caseId: string, events: EventToAppend[]) {
  await store.appendToStream(`case-${caseId}`, events, { expectedRevision: 'no_stream' });
}

async function replay(name: string, stream: CaseEventStream, total: number) {
  const rates: number[] = [];
  const loads: number[] = [];
  for (let rep = 0; rep <= REPS; rep++) {
    let count = 0;
    const start = process.hrtime.bigint();
    for await (const _ of stream.readAll()) count += 1;
    if (count !== total) throw new Error(`${name}: replayed ${count} of ${total} events`);
    const elapsed = ms(start);
    const loadStart = process.hrtime.bigint();
    for (let i = 0; i < CASES; i += 10) await stream.history(caseIdOf(i));
    const loadMs = ms(loadStart) / Math.ceil(CASES / 10);
    if (rep === 0) continue;
    rates.push(total / (elapsed / 1000));
    loads.push(loadMs);
  }
  const rate = median(rates);
  const loadMs = median(loads);
  return {
    rate,
    loadMs,
    line: `| ${name} | ${Math.round(rate).toLocaleString('en')} | ${loadMs.toFixed(2)} |`,
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
