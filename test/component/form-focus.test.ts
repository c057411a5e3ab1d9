// After the console refuses a form, the field it names (`details.fields`, the API argument) gets
// the focus and is marked, on every form, not only Settings (issue 16, finding 13): login,
// change password, the operators' add and reset forms.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiErrorCode, OperatorAdminView } from '../../src-main/contract';
import ChangePassword from '../../src-renderer/screens/ChangePassword.svelte';
import Login from '../../src-renderer/screens/Login.svelte';
import Operators from '../../src-renderer/screens/Operators.svelte';
import { FakeRefusal, fakeConsole } from './support/fake-api';

const fake = fakeConsole();

/** A refusal as the console sends it, naming the argument at fault. */
function refused(
  code: ApiErrorCode,
  words: { en: string; zh: string },
  fields: string[],
  cause?: string,
): FakeRefusal {
  const refusal = new FakeRefusal(code, words.en, words.zh);
  refusal.data.details = { fields, ...(cause ? { cause } : {}) };
  return refusal;
}

function input(name: string): HTMLInputElement {
  const found = document.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!found) throw new Error(`no field ${name}`);
  return found;
}

async function type(name: string, value: string): Promise<void> {
  await fireEvent.input(input(name), { target: { value } });
}

async function submit(form: HTMLFormElement): Promise<void> {
  await fireEvent.submit(form);
}

describe('login', () => {
  beforeEach(() => fake.reset({}));

  it('a locked operator number: the operator number field, not the password', async () => {
    fake.reset({
      login: () => {
        throw refused(
          'ACCOUNT_LOCKED',
          { en: 'Operator 2001 is locked.', zh: '操作员 2001 已锁定。' },
          ['operatorNo'],
        );
      },
    });
    render(Login, { onloggedin: () => undefined });
    await type('operatorNo', '2001');
    await type('password', 'Wrong2026');
    await submit(input('operatorNo').form!);
    await vi.waitFor(() => expect(document.activeElement).toBe(input('operatorNo')));
    expect(input('operatorNo').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('操作员 2001 已锁定');
  });

  it('a wrong password: the password field, emptied', async () => {
    fake.reset({
      login: () => {
        throw refused(
          'LOGIN_FAILED',
          { en: 'Wrong operator number or password.', zh: '操作员号或密码错误。' },
          ['password'],
        );
      },
    });
    render(Login, { onloggedin: () => undefined });
    await type('operatorNo', '2001');
    await type('password', 'Wrong2026');
    input('operatorNo').focus();
    await submit(input('operatorNo').form!);
    await vi.waitFor(() => expect(document.activeElement).toBe(input('password')));
    expect(input('password').value).toBe('');
    expect(input('password').getAttribute('aria-invalid')).toBe('true');
  });
});

describe('change password', () => {
  async function fill(): Promise<void> {
    render(ChangePassword, { ondone: () => undefined });
    await type('oldPassword', 'Mine2025');
    await type('newPassword', 'Mine2026');
    await type('confirm', 'Mine2026');
    input('confirm').focus();
    await submit(input('confirm').form!);
  }

  it('a wrong current password: the current password field', async () => {
    fake.reset({
      changeOwnPassword: () => {
        throw refused(
          'FAILED',
          { en: 'The current password is wrong', zh: '当前密码不正确' },
          ['oldPassword'],
          'WRONG_PASSWORD',
        );
      },
    });
    await fill();
    await vi.waitFor(() => expect(document.activeElement).toBe(input('oldPassword')));
    expect(input('oldPassword').getAttribute('aria-invalid')).toBe('true');
  });

  it('a recently used new password: the new password field', async () => {
    fake.reset({
      changeOwnPassword: () => {
        throw refused(
          'WEAK_PASSWORD',
          {
            en: 'The new password must differ from your last 5 passwords',
            zh: '新密码不能与最近 5 次使用过的密码相同，请换一个',
          },
          ['newPassword'],
        );
      },
    });
    await fill();
    await vi.waitFor(() => expect(document.activeElement).toBe(input('newPassword')));
    expect(screen.getByRole('alert').textContent).toContain('最近 5 次');
  });
});

describe('operators', () => {
  const operator: OperatorAdminView = {
    operatorNo: '2001',
    name: '李收银',
    role: 'cashier',
    locked: false,
    passwordChangedAt: '2026-12-01T00:00:00.000Z',
    createdAt: '2026-12-01T00:00:00.000Z',
  };

  it("adding a number in use: the add form's operator number field", async () => {
    fake.reset({
      listOperators: () => ({ operators: [operator], next: null }),
      createOperator: () => {
        throw refused(
          'FAILED',
          { en: 'Operator number 2001 is already in use', zh: '操作员号 2001 已被使用' },
          ['operatorNo'],
          'DUPLICATE',
        );
      },
    });
    render(Operators, { ondone: () => undefined });
    await vi.waitFor(() => expect(screen.getByText('李收银')).toBeTruthy());
    await type('newOperatorNo', '2001');
    await type('newName', '王收银');
    await type('newPassword', 'Till2026');
    input('newPassword').focus();
    await submit(screen.getByTestId('create-operator') as HTMLFormElement);
    await vi.waitFor(() => expect(document.activeElement).toBe(input('newOperatorNo')));
    expect(input('newOperatorNo').getAttribute('aria-invalid')).toBe('true');
  });

  it("a weak temporary password: the reset form's password field", async () => {
    fake.reset({
      listOperators: () => ({ operators: [operator], next: null }),
      resetOperatorPassword: () => {
        throw refused(
          'WEAK_PASSWORD',
          { en: 'Use 8 to 64 characters', zh: '密码须为8至64个字符' },
          ['newPassword'],
        );
      },
    });
    render(Operators, { ondone: () => undefined });
    await vi.waitFor(() => expect(screen.getByText('李收银')).toBeTruthy());
    const row = screen.getByTestId('operator-2001');
    const resetButton = Array.from(row.querySelectorAll('button')).find((b) =>
      /重置密码/.test(b.textContent ?? ''),
    );
    await fireEvent.click(resetButton!);
    await type('tempPassword', 'Temp2026');
    const field = input('tempPassword');
    input('newOperatorNo').focus();
    await submit(field.form!);
    // The add form's own newPassword field is not the one meant.
    await vi.waitFor(() => expect(document.activeElement).toBe(input('tempPassword')));
  });
});
