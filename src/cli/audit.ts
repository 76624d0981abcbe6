#!/usr/bin/env node
import { runAuditCli } from './audit.program';

/**
 * `case-audit` / `npm run audit -- <command>`. The exit waits for stdout to flush, then ends the
 * process explicitly: a store client that gave up on an unreachable server may still hold
 * reconnect timers, and an audit must never hang after it has answered.
 */
runAuditCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
})
  .catch((error: unknown) => {
    process.stderr.write(`error: ${String(error)}\n`);
    return 70;
  })
  .then((code) => {
    process.stdout.write('', () => process.exit(code));
  });
