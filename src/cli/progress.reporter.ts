import type { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';

/** Redrawing costs more than counting: the bar hears about every this many events. */
const REPORT_EVERY = 4_096;
/** Without a terminal, one plain line this often (a short run prints none). */
const PLAIN_EVERY_MS = 10_000;

export interface ProgressReporter {
  /**
   * Counts one more item, at global `position` when known; cheap enough to call per event. Every
   * few thousand items it returns a promise to await: reading the embedded store resolves at
   * once, so without that pause a long run would never let timers fire (the bar's redraw,
   * Ctrl-C, a memory sampler).
   */
  tick(position?: bigint | number): Promise<void> | undefined;
  stop(): void;
}

export interface ProgressScope {
  /** The store's newest global position when the run started (EventStore.headPosition). */
  readonly head?: bigint;
  /** Exclusive start position (`--after`). */
  readonly after?: bigint;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
const count = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Progress of a long read on stderr. With a known head the total is the span of positions still
 * to read (on the embedded store, positions are consecutive, so that is the event count; on any
 * store it gives the percentage and ETA). On a TTY: a cli-progress bar with events, rate and
 * ETA. Redirected to a file or a pipe: no control characters, a plain line every 10 seconds.
 */
export function startProgress(
  label: string,
  err: Writable,
  scope: ProgressScope = {},
): ProgressReporter {
  const from = scope.after ?? 0n;
  const span = scope.head !== undefined && scope.head > from ? Number(scope.head - from) : 0;
  const started = Date.now();
  let events = 0;
  let position: bigint | number | undefined;
  let stopped = false;
  const done = () => (position === undefined ? 0 : Math.min(Number(BigInt(position) - from), span));
  const rate = () => events / Math.max((Date.now() - started) / 1000, 0.001);

  const tty = (err as Writable & { isTTY?: boolean }).isTTY === true;
  const bar = tty
    ? new SingleBar({
        stream: err as unknown as NodeJS.WritableStream,
        format: span
          ? `${label} [{bar}] {percentage}% | {events} events | {rate} events/s | ETA {eta_formatted}`
          : `${label} {events} events | {rate} events/s | {duration_formatted}`,
        fps: 5,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      })
    : undefined;
  bar?.start(span, 0, { events: '0', rate: '0' });
  let lastPlain = started;

  const report = () => {
    if (bar) {
      bar.update(span ? done() : events, { events: count(events), rate: count(rate()) });
      return;
    }
    if (Date.now() - lastPlain < PLAIN_EVERY_MS) return;
    lastPlain = Date.now();
    const part = span ? done() / span : undefined;
    const eta =
      part && part > 0
        ? ((Date.now() - started) / part - (Date.now() - started)) / 1000
        : undefined;
    err.write(
      `${label}: ${count(events)} events` +
        (part === undefined ? '' : `, ${Math.floor(part * 100)}%`) +
        `, ${count(rate())} events/s` +
        (eta === undefined ? '' : `, about ${Math.ceil(eta)} s left`) +
        '\n',
    );
  };
  return {
    tick(at) {
      events += 1;
      if (at !== undefined) position = at;
      if (events % REPORT_EVERY !== 0) return undefined;
      report();
      return yieldToEventLoop();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (bar) {
        report();
        bar.stop();
      }
    },
  };
}

/** `1,234,567 events in 3.2 s (385,802 events/s)`, for the summaries on stderr. */
export function describeThroughput(events: number, startedAt: bigint): string {
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const rate = seconds > 0 ? Math.round(events / seconds) : events;
  return `${events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s (${rate.toLocaleString('en-US')} events/s)`;
}
