/**
 * Users and access control of the test server, as a secure EventStoreDB node applies them with
 * its default ACLs: anonymous callers may not touch streams (`AllowAnonymousStreamAccess`
 * is off by default since 23.10); any authenticated user may read and write user streams and
 * their metadata; reading `$all` and any other `$`-prefixed (system) stream needs `$admins`.
 * Credentials travel as HTTP basic authentication; a wrong password is refused as
 * UNAUTHENTICATED before the call reaches the service, an allowed user lacking the right
 * gets PERMISSION_DENIED ("access-denied").
 */
import { Metadata, status } from '@grpc/grpc-js';

export interface TestUser {
  readonly password: string;
  readonly admin: boolean;
}

export type Users = Readonly<Record<string, TestUser>>;

/** The users of a fresh node (`admin`, password `changeit`) and one ordinary user. */
export const DEFAULT_USERS: Users = {
  admin: { password: 'changeit', admin: true },
  ops: { password: 'changeit', admin: false },
};

export interface GrpcFailure {
  readonly code: status;
  readonly details: string;
  readonly metadata?: Metadata;
}

export type Caller =
  { readonly kind: 'anonymous' } | { readonly kind: 'user'; readonly admin: boolean };

export type Operation = { readonly kind: 'read' | 'write'; readonly streamId: string | undefined };

/** Who is calling, or the failure a wrong password gets. `undefined` users: insecure node. */
export function authenticate(
  metadata: Metadata,
  users: Users | undefined,
): Caller | GrpcFailure | undefined {
  if (!users) return undefined;
  const header = metadata.get('authorization')[0];
  if (header === undefined) return { kind: 'anonymous' };
  const match = /^Basic (.+)$/.exec(String(header));
  const [name, ...rest] = match ? Buffer.from(match[1], 'base64').toString('utf8').split(':') : [];
  const user = name === undefined ? undefined : users[name];
  if (!user || user.password !== rest.join(':')) {
    return { code: status.UNAUTHENTICATED, details: 'Bad username or password' };
  }
  return { kind: 'user', admin: user.admin };
}

/** `undefined` when allowed, else the access-denied failure of the real server. */
export function authorize(
  caller: Caller | GrpcFailure | undefined,
  operation: Operation,
): GrpcFailure | undefined {
  if (caller === undefined) return undefined;
  if ('code' in caller) return caller;
  const system = operation.streamId === undefined || isSystemStream(operation.streamId);
  const allowed = caller.kind === 'user' && (caller.admin || !system);
  return allowed ? undefined : accessDenied();
}

/**
 * `$`-prefixed, except the metastream of a user stream (`$$case-1`): its metadata is guarded by
 * the user stream's `$mr`/`$mw`, which the default `$userStreamAcl` grants to every user.
 */
const isSystemStream = (streamId: string): boolean =>
  streamId.startsWith('$') && !(streamId.startsWith('$$') && !streamId.startsWith('$$$'));

export function accessDenied(): GrpcFailure {
  const metadata = new Metadata();
  metadata.set('exception', 'access-denied');
  return { code: status.PERMISSION_DENIED, details: 'Access Denied', metadata };
}
