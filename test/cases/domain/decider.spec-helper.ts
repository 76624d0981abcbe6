import type { CaseCommand } from '../../../src/cases/domain/case.commands';
import { decide } from '../../../src/cases/domain/case.decider';
import type { CaseEvent } from '../../../src/cases/domain/case.events';
import { evolve, initialState } from '../../../src/cases/domain/case.state';

type ErrorClass = new (...args: never[]) => Error;

/**
 * `given(...history).when(command).then(...events)`: the history is folded with `evolve` from
 * `initialState`, exactly as a command handler would load it, then `decide` runs on the result.
 */
export function given(...history: CaseEvent[]) {
  const state = history.reduce(evolve, initialState);
  return {
    when(command: CaseCommand) {
      const act = () => decide(command, state);
      return {
        then(...expected: CaseEvent[]): void {
          expect(act()).toStrictEqual(expected);
        },
        thenNothing(): void {
          expect(act()).toStrictEqual([]);
        },
        thenThrows(error: ErrorClass, detail?: RegExp): void {
          expect(act).toThrow(error);
          if (detail) expect(act).toThrow(detail);
        },
      };
    },
  };
}
