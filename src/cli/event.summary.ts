import type { CaseEvent } from '../cases/domain/case.events';
import type { Assignee, Parameter, Queue } from '../cases/domain/case.values';

const MAX_TEXT = 60;

/** One line that tells an auditor what an event did, for the `history` table. */
export function summarizeEvent(event: CaseEvent): string {
  switch (event.type) {
    case 'CaseCreated': {
      const { queue, account, reporter, assignee, parameters } = event.data;
      return [
        `in ${queueName(queue)}`,
        `for ${named(account.name, account.id)}`,
        `reported by ${named(reporter.name, reporter.id)}`,
        assignee ? `assigned to ${assigneeName(assignee)}` : 'unassigned',
        plural(parameters.length, 'parameter'),
      ].join(', ');
    }
    case 'CaseTransferred':
      return `${queueName(event.data.from)} -> ${queueName(event.data.to)}`;
    case 'CaseAssigned':
      return event.data.previousAssignee
        ? `${assigneeName(event.data.previousAssignee)} -> ${assigneeName(event.data.assignee)}`
        : `to ${assigneeName(event.data.assignee)}`;
    case 'CaseUnassigned':
      return `${assigneeName(event.data.previousAssignee)} removed`;
    case 'CaseQueried':
      return event.data.queryPrompt === null
        ? 'query without a prompt'
        : quote(event.data.queryPrompt);
    case 'CaseResumed':
      return 'back to Processing';
    case 'CaseCompleted':
      return 'Completed';
    case 'CaseAwaitingChanged':
      return `awaiting ${event.data.awaiting ? 'on' : 'off'}`;
    case 'CaseParametersChanged':
      return event.data.parameters.map(parameterChange).join('; ');
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
}

const named = (name: string | undefined, id: string) => (name ? `${name} (${id})` : id);
const queueName = (queue: Queue) => named(queue.name, queue.id);
const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function assigneeName(assignee: Assignee): string {
  const name = [assignee.firstName, assignee.lastName].filter(Boolean).join(' ');
  return named(name || assignee.email, assignee.id);
}

function parameterChange(parameter: Parameter): string {
  return `${named(parameter.name, parameter.id)} = ${truncate(JSON.stringify(parameter.value ?? null))}`;
}

function quote(text: string): string {
  return truncate(JSON.stringify(text));
}

/** Keeps a row on one line: JSON escapes newlines, and long text is cut. */
export function truncate(text: string, max = MAX_TEXT): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ');
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 3)}...`;
}
