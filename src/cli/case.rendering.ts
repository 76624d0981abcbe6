import type { AuditEntry } from '../cases/domain/case.view';
import type { Parameter } from '../cases/domain/case.values';
import type { PresentedCase } from '../cases/access/case-visibility';

/** The Case for a person at a terminal: the same facts as `--json`, one per line. */
export function renderCase(view: PresentedCase): string {
  const { queue, assignee, account, reporter, chat } = view;
  const lines = [
    `Case ${view.id}  revision ${view.revision}  ${view.status}` +
      (view.awaiting === undefined ? '' : `  awaiting: ${view.awaiting ? 'yes' : 'no'}`),
    ...(view.queryPrompt !== undefined
      ? [
          field(
            'Query',
            view.queryPrompt === null ? '(no prompt)' : JSON.stringify(view.queryPrompt),
          ),
        ]
      : []),
    field('Queue', named(queue.name, queue.id, queue.workflow && `workflow ${queue.workflow}`)),
    field(
      'Assignee',
      assignee
        ? named(
            [assignee.firstName, assignee.lastName].filter(Boolean).join(' ') || undefined,
            assignee.id,
            assignee.email,
          )
        : '(none)',
    ),
    field('Account', named(account.name, account.id)),
    field('Reporter', named(reporter.name, reporter.id)),
    field('Chat', `${chat.id} (${chat.type})`),
    `Parameters:${view.parameters.length === 0 ? ' (none)' : ''}`,
    ...view.parameters.map((p) => `  ${parameterLine(p)}`),
    'Audit:',
    ...Object.entries(view.audit).map(([key, entry]) => `  ${key.padEnd(16)} ${auditLine(entry)}`),
  ];
  return `${lines.join('\n')}\n`;
}

const field = (label: string, value: string) => `${`${label}:`.padEnd(10)}${value}`;

function named(name: string | undefined, id: string, extra?: string): string {
  const details = [id, extra].filter(Boolean).join(', ');
  return name ? `${name} (${details})` : details;
}

function parameterLine(parameter: Parameter): string {
  const facts = [
    parameter.phase,
    parameter.scope,
    parameter.externalId && `external id ${parameter.externalId}`,
    parameter.constraints?.visibleToReporter === false ? 'hidden from reporter' : undefined,
  ].filter(Boolean);
  const value = JSON.stringify(parameter.value ?? null);
  return `${named(parameter.name, parameter.id)} = ${value}${facts.length ? `  [${facts.join(', ')}]` : ''}`;
}

function auditLine(entry: AuditEntry | undefined): string {
  if (!entry) return '';
  return `${entry.at}  by ${named(entry.by.name, entry.by.id)} of ${named(entry.of.name, entry.of.id)}`;
}
