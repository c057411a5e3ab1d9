// Every operator's number and name, for the filter lists of the log and audit screens: the
// pages of listOperators followed to the end (a shop has tens of operators, so this is one or
// two calls; the Operators screen itself pages with "More").
import type { OperatorAdminView } from '../../src-main/contract';
import { api } from './client';

export async function allOperators(): Promise<OperatorAdminView[]> {
  const all: OperatorAdminView[] = [];
  let after: string | null | undefined;
  do {
    const page = await api.listOperators(after ? { after } : {});
    all.push(...page.operators);
    after = page.next;
  } while (after);
  return all;
}
