// The Operators screen pages: the first page, then "More" asks for the page after the last
// number shown and adds it below (issue 14: listOperators pages).
import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, expect, it, vi } from 'vitest';
import type { OperatorAdminView } from '../../src-main/contract';
import Operators from '../../src-renderer/screens/Operators.svelte';
import { fakeConsole } from './support/fake-api';

const fake = fakeConsole();

const operator = (operatorNo: string): OperatorAdminView => ({
  operatorNo,
  name: `收银员${operatorNo}`,
  role: 'cashier',
  locked: false,
  passwordChangedAt: '2026-12-01T00:00:00.000Z',
  createdAt: '2026-12-01T00:00:00.000Z',
});

beforeEach(() => {
  fake.reset({
    listOperators: (args) =>
      args.after === undefined
        ? { operators: [operator('1001'), operator('1002')], next: '1002' }
        : { operators: [operator('1003')], next: null },
  });
});

it('shows the first page, and "More" adds the next one until the last', async () => {
  render(Operators, { ondone: () => undefined });
  await vi.waitFor(() => expect(screen.getByText('收银员1002')).toBeTruthy());
  expect(screen.queryByText('收银员1003')).toBeNull();
  await fireEvent.click(screen.getByTestId('operators-more'));
  await vi.waitFor(() => expect(screen.getByText('收银员1003')).toBeTruthy());
  expect(screen.getByText('收银员1001')).toBeTruthy();
  expect(fake.callsOf('listOperators')).toEqual([{}, { after: '1002' }]);
  // The last page shown: no "More".
  expect(screen.queryByTestId('operators-more')).toBeNull();
});
