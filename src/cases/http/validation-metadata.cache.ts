import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Grouped = Record<string, ValidationMetadata[]>;

let installed = false;

/**
 * class-validator derives a class's rules afresh for every object it validates: it scans the
 * metadata of every decorated class (for inherited rules) and groups the result by property, on
 * every request and again for each nested DTO (about a tenth of a body's validation time in the
 * command mix profile). Rules change only while decorated classes load, so the derived lists are
 * kept per class and dropped whenever a rule or constraint is registered. The validation itself is
 * class-validator's, unchanged. Idempotent; `validateBody` installs it.
 */
export function cacheValidationMetadata(): void {
  if (installed) return;
  installed = true;
  const storage = getMetadataStorage();
  const derive = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  let targets = new Map<unknown, Map<string, ValidationMetadata[]>>();
  let groupings = new WeakMap<ValidationMetadata[], Grouped>();
  const forget = () => {
    targets = new Map();
    groupings = new WeakMap();
  };

  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\n${always}\n${strictGroups}\n${groups?.join('\n') ?? ''}`;
    let byOptions = targets.get(target);
    if (!byOptions) targets.set(target, (byOptions = new Map()));
    let found = byOptions.get(key);
    if (!found) byOptions.set(key, (found = derive(target, schema, always, strictGroups, groups)));
    return found;
  };
  // Only ever called on the list above, which is kept as long as its grouping is valid.
  storage.groupByPropertyName = (metadata) => {
    let grouped = groupings.get(metadata);
    if (!grouped) groupings.set(metadata, (grouped = group(metadata)));
    return grouped;
  };
  for (const method of ['addValidationMetadata', 'addConstraintMetadata', 'addValidationSchema']) {
    const register = storage[method as 'addValidationMetadata'].bind(storage);
    storage[method as 'addValidationMetadata'] = (metadata) => {
      forget();
      register(metadata);
    };
  }
}
