import { createHash } from 'node:crypto';

/**
 * A chat participant's id, `CHP-dddd-dddd-dddd`, derived from the chat, the role and the
 * identity alone, so every replay, rebuild and service instance gives the same id. The role is
 * part of it because a reporter who is also assigned appears once per role.
 */
export function participantId(chatId: string, role: string, identityId: string): string {
  const digest = createHash('sha256').update(`${chatId}\n${role}\n${identityId}`).digest();
  const digits = (digest.readBigUInt64BE(0) % 10n ** 12n).toString().padStart(12, '0');
  return `CHP-${digits.slice(0, 4)}-${digits.slice(4, 8)}-${digits.slice(8)}`;
}
