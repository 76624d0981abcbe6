import type { EventStore } from '../../event-store/event-store.port';
import type { PersonalDataVault } from '../../personal-data/personal-data.vault';
import { CaseEventPrivacy } from './case-event.privacy';
import { CaseEventStream } from './case-event-stream';
import type { CaseFoldCache } from './case-fold.cache';
import type { CaseSnapshots } from './case-snapshots';

export interface CaseEventStreamParts {
  /** Folds of recently used cases; none for a reader that never loads a case twice. */
  readonly cache?: CaseFoldCache;
  /** Where folds of long cases are kept; none for readers that replay from the first event. */
  readonly snapshots?: CaseSnapshots;
  /** The keys personal fields are sealed with; without it events pass in clear (unit specs). */
  readonly vault?: PersonalDataVault;
  /** The last position another thread of this service appended, read when asked (see the stream). */
  readonly appendedElsewhere?: () => bigint | undefined;
}

/**
 * The one way a case event stream is built over a store, wherever it runs: the service's main
 * thread, its projection thread and the command line. What the stream needs beyond the store
 * (keys for sealed fields, say) is added here, once, for all of them.
 */
export function createCaseEventStream(
  store: EventStore,
  parts: CaseEventStreamParts = {},
): CaseEventStream {
  return new CaseEventStream(
    store,
    parts.cache,
    parts.snapshots,
    new CaseEventPrivacy(parts.vault),
    parts.appendedElsewhere,
  );
}
