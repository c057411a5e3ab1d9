// The first run: before any operator exists, the first supervisor and the shop's settings.
// Each is refused once any operator exists.
import { z } from 'zod';
import { channel, returns } from '../channel';
import { noArgs, operatorNo, password, personName } from '../fields';
import type { OperatorView } from '../views';

export const setupChannel = channel({
  /** First run only: creates the first supervisor. Refused once any operator exists. */
  createFirstSupervisor: {
    access: 'public',
    args: z.object({ operatorNo, name: personName, password }).strict(),
    result: returns<OperatorView>(),
  },
  /** First run only: the prefilled values of the setup form. */
  getFirstRunDefaults: {
    access: 'public',
    args: noArgs(),
    result: returns<FirstRunDefaults>(),
  },
  /** First run only: the first supervisor plus merchant, terminal and mode, in one step. */
  completeFirstRun: {
    access: 'public',
    args: z
      .object({
        supervisor: z.object({ operatorNo, name: personName, password }).strict(),
        merchant: z.object({ id: z.string().max(40), name: z.string().max(80) }).strict(),
        terminal: z.object({ id: z.string().max(40) }).strict(),
        mode: z.enum(['training', 'live']),
        host: z
          .object({ address: z.string().max(253), port: z.number().int() })
          .strict()
          .optional(),
      })
      .strict(),
    result: returns<{ operator: OperatorView; restartNeeded: boolean }>(),
  },
});

/** What the first-run form starts with. */
export interface FirstRunDefaults {
  merchant: { id: string; name: string };
  terminal: { id: string };
  mode: 'training' | 'live';
  host: { address: string; port: number };
}
