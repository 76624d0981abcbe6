/** How a command ended, or a conflict it went round again. */
export type CommandOutcome =
  'accepted' | 'no-op' | 'replayed' | 'refused' | 'conflict-retried' | '412' | '409' | 'failed';

/**
 * Told how every command ended (metrics implement it). Optional for the pipeline, and told
 * after the fact: it can neither change nor delay a command.
 */
export abstract class CommandObserver {
  abstract observe(commandType: string, outcome: CommandOutcome): void;
}

/** Codes of errors that refuse a command for a reason of its own (not a conflict, not a fault). */
const REFUSALS = new Set([
  'CASE_NOT_FOUND',
  'COMMAND_FORBIDDEN',
  'COMMAND_REFUSED',
  'CASE_ALREADY_EXISTS',
  'IDEMPOTENCY_KEY_REUSED',
  'APPEND_TOO_LARGE',
]);

export function outcomeOfError(error: unknown): CommandOutcome {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'STALE_REVISION') return '412';
  if (code === 'COMMAND_CONFLICT') return '409';
  return typeof code === 'string' && REFUSALS.has(code) ? 'refused' : 'failed';
}
