/** The caller may see the case but not do this to it (HTTP 403). */
export class CommandForbidden extends Error {
  override readonly name = 'CommandForbidden';
  readonly code = 'COMMAND_FORBIDDEN';
}
