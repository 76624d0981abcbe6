import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/app.config';
import { StoreUnavailable } from '../event-store/event-store.errors';
import type { CaseEventStream } from '../cases/application/case-event-stream';
import { createCaseEventStream } from '../cases/application/case-event-stream.factory';
import { loadAuditConfig, type AuditConfig } from '../config/audit.config';
import { AuditCliError, EXIT, type ExitCode } from './audit.errors';
import {
  parseAfter,
  parseAt,
  parseRevision,
  parseUserId,
  type ExportFormat,
} from './audit.options';
import { withAuditStore } from './audit.store';
import { runExport } from './export.command';
import { runForget } from './forget.command';
import { runHistory } from './history.command';
import { runRebuildProjections } from './rebuild-projections.command';
import { runState } from './state.command';
import { runVerify } from './verify.command';

export interface AuditIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly env: NodeJS.ProcessEnv;
}

/**
 * The `case-audit` command line: a thin commander layer that checks the arguments, opens the
 * configured store, runs one of the plain command functions and turns every outcome into an
 * exit code. Data goes to stdout, everything else (errors, summaries, progress) to stderr.
 */
export async function runAuditCli(argv: readonly string[], io: AuditIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const withStore = async (
    work: (stream: CaseEventStream, config: AuditConfig) => Promise<ExitCode | void>,
  ) => {
    const config = loadAuditConfig(io.env);
    exitCode =
      (await withAuditStore(config, {}, (store, vault) =>
        work(createCaseEventStream(store, { vault }), config),
      )) ?? EXIT.ok;
  };

  const program = new Command('case-audit')
    .description('Audit replay tooling for the Case service: read, check and export case histories')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .version(packageVersion(), '-V, --version', 'the version of the Case service it belongs to')
    .addHelpText('after', HELP_AFTER)
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError();

  program
    .command('history')
    .description("a case's events, oldest first")
    .argument('<caseId>', 'the case, e.g. CAS-1234-5678-9012')
    .option('--json', 'the audit records of GET /cases/{id}/audit, as one JSON array')
    .action((caseId: string, options: { json?: boolean }) =>
      withStore((stream) => runHistory(stream, caseId, options, io.stdout)),
    );

  program
    .command('state')
    .description('a case as it was at a revision or a time (its latest state by default)')
    .argument('<caseId>', 'the case, e.g. CAS-1234-5678-9012')
    .addOption(new Option('--revision <n>', 'revision to show (1 is the creation)').conflicts('at'))
    .option('--at <time>', 'ISO 8601 date-time with a zone: the last revision at or before it')
    .option('--json', 'the Case exactly as the API shows it to operations')
    .action((caseId: string, options: { revision?: string; at?: string; json?: boolean }) => {
      const revision = options.revision === undefined ? undefined : parseRevision(options.revision);
      const at = options.at === undefined ? undefined : parseAt(options.at);
      return withStore((stream) =>
        runState(stream, caseId, { revision, at, json: options.json }, io.stdout),
      );
    });

  program
    .command('verify')
    .description('replay case streams and report every anomaly (exit 1 if any)')
    .option('--case <caseId>', 'only this case')
    .option('--json', 'one JSON document: {anomalies, streams, events, anomalyCount}')
    .action((options: { case?: string; json?: boolean }) =>
      withStore(async (stream) => {
        const result = await runVerify(
          stream,
          { caseId: options.case, json: options.json },
          io.stdout,
          io.stderr,
        );
        return result.exitCode;
      }),
    );

  program
    .command('rebuild-projections')
    .description('rebuild the read models under DATA_DIR from the first event, then switch over')
    .action(() =>
      withStore(async (stream, config) => {
        await runRebuildProjections(stream, config.dataDir, io.stderr);
      }),
    );

  program
    .command('export')
    .description('every case event in global order, streamed')
    .addOption(
      new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'),
    )
    .option('--after <position>', 'only events after this global position')
    .option('--output <file>', 'write to this file instead of stdout')
    .option('--raw', 'events as stored, without upcasting to the current schema version')
    .action((options: { format: ExportFormat; after?: string; output?: string; raw?: boolean }) => {
      const after = options.after === undefined ? undefined : parseAfter(options.after);
      return withStore(async (stream) => {
        const out = options.output ? createWriteStream(options.output) : io.stdout;
        await runExport(
          stream,
          { format: options.format, after, raw: options.raw, endOutput: out !== io.stdout },
          out,
          io.stderr,
        );
      });
    });

  program
    .command('forget')
    .description("erase a person's personal data: destroy their keys, record PersonalDataErased")
    .argument('<userId>', 'the person, e.g. USR-1234-5678')
    .action(async (raw: string) => {
      const userId = parseUserId(raw);
      const config = loadAuditConfig(io.env);
      await withAuditStore(config, { writable: true }, (store, vault) =>
        runForget(store, vault, userId, io.stdout),
      );
    });

  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportFailure(error, io.stderr);
  }
}

const HELP_AFTER = `
Environment (the same variables, and checks, as the service; no token key needed):
  EVENT_STORE                   sqlite (default) or esdb
  DATA_DIR                      the embedded store and the read models (default ./data)
  EVENTSTORE_CONNECTION_STRING  esdb://host:2113?tls=false, required with EVENT_STORE=esdb
  AUDIT_STORE_TIMEOUT_MS        longest wait for the store's first answer (default 5000)
  PII_MASTER_KEY                the service's master key of personal data (docs/personal-data.md)

Exit codes:
  ${EXIT.ok}   done (verify: no anomalies)
  ${EXIT.anomalies}   verify found anomalies, or a command met a damaged history
  ${EXIT.usage}   unknown command or option, or a bad option value
  ${EXIT.notFound}   no such case or revision
  ${EXIT.config}   the environment does not describe a usable store
  ${EXIT.unavailable}   the store did not answer
  ${EXIT.internal}  a bug (the message says so)

Data goes to stdout; errors, summaries and progress to stderr (a bar on a terminal, a plain
line every 10 s otherwise). See docs/audit-cli.md.
`;

/** package.json sits two levels up from both src/cli and dist/cli. */
function packageVersion(): string {
  const file = join(__dirname, '..', '..', 'package.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

function reportFailure(error: unknown, stderr: Writable): ExitCode {
  // commander has already printed its own message (or the help it was asked for).
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if ((error as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.ok;
  const [code, message] = classify(error);
  stderr.write(`error: ${message}\n`);
  return code;
}

function classify(error: unknown): [ExitCode, string] {
  if (error instanceof AuditCliError) return [error.exitCode, error.message];
  if (error instanceof ConfigError) return [EXIT.config, error.message];
  if (error instanceof StoreUnavailable)
    return [EXIT.unavailable, `the event store is unavailable: ${error.message}`];
  const fsError = error as NodeJS.ErrnoException;
  if (fsError.syscall === 'open' && fsError.path)
    return [EXIT.usage, `cannot write ${fsError.path}: ${fsError.code}`];
  return [
    EXIT.internal,
    `unexpected failure (a bug): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  ];
}
