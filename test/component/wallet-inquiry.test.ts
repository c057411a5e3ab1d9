// The payment account screen against a fake console: a wrong SMS code is typed again on the
// same screen with the account kept and the resend countdown shown (finding 2); the payment
// password prompt and its retry with the tries the host gave (finding 10); Esc while the host
// is asked (finding 3).
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WalletInquiry from '../../src-renderer/screens/WalletInquiry.svelte';
import { fakeConsole } from './support/fake-api';
import { appState, done, progress, view } from './support/views';

const fake = fakeConsole();
let nextId = 1;

beforeEach(() => {
  nextId = 1;
  fake.reset({
    requestWalletCode: () => ({
      accountMasked: '138****5678',
      sentToMasked: '138****5678',
      expiresInSeconds: 300,
      resendAfterSeconds: 60,
    }),
    startWalletInquiry: () => ({ inquiryId: nextId++ }),
    cancelInquiry: () => ({ ok: true }),
  });
});

afterEach(() => {
  vi.useRealTimers();
});

const input = (name: string) => document.querySelector<HTMLInputElement>(`input[name=${name}]`)!;

async function codeSent(): Promise<void> {
  render(WalletInquiry, { app: appState(), ondone: () => undefined });
  await fireEvent.input(input('account'), { target: { value: '13812345678' } });
  await fireEvent.click(screen.getByTestId('send-code'));
  await vi.waitFor(() => expect(input('code')).toBeTruthy());
}

async function show(next: Parameters<typeof fake.emit<'inquiry'>>[1]): Promise<void> {
  fake.emit('inquiry', next);
  await tick();
}

const wrongCode = view({
  accountKind: 'wallet',
  maskedAccount: '138****5678',
  entryMode: 'sms-code',
  outcome: 'declined',
  responseCode: null,
  errorCode: 'SMS_CODE_WRONG',
  message: { en: 'wrong code', zh: '验证码错误' },
  retry: 'sms-code',
  triesLeft: 2,
});

describe('the SMS code', () => {
  it('counts down to when another code may be sent: xx 秒后可重新发送', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    await codeSent();
    const send = screen.getByTestId<HTMLButtonElement>('send-code');
    expect(send.textContent).toContain('60 秒后可重新发送');
    expect(send.disabled).toBe(true);
    vi.advanceTimersByTime(45_000);
    await tick();
    expect(send.textContent).toContain('15 秒后可重新发送');
    vi.advanceTimersByTime(15_000);
    await tick();
    expect(send.disabled).toBe(false);
    expect(send.textContent).toContain('重新发送验证码');
  });

  it('after a wrong code, takes the code again on the same screen with the account kept', async () => {
    await codeSent();
    await fireEvent.input(input('code'), { target: { value: '000000' } });
    await fireEvent.submit(input('code').form!);
    await vi.waitFor(() => expect(fake.callsOf('startWalletInquiry')).toHaveLength(1));
    await show(progress({ inquiryId: 1, kind: 'wallet', step: 'processing' }));
    await show(done(wrongCode, 1));
    // Back at the code, not a dead end: the account stays, the code is cleared, and the screen
    // says what the host said, with the tries it left.
    expect(screen.queryByTestId('inquiry-result')).toBeNull();
    expect(input('account').value).toBe('13812345678');
    expect(input('code').value).toBe('');
    const refused = screen.getByTestId('code-refused').textContent!;
    expect(refused).toContain('验证码错误');
    expect(refused).toContain('还可输入 2 次');
    await fireEvent.input(input('code'), { target: { value: '123456' } });
    await fireEvent.submit(input('code').form!);
    await vi.waitFor(() => expect(fake.callsOf('startWalletInquiry')).toHaveLength(2));
    expect(fake.callsOf('startWalletInquiry')[1]).toEqual({
      account: '13812345678',
      proof: { kind: 'sms', code: '123456' },
    });
    // No new code was asked for: the host keeps the one it sent.
    expect(fake.callsOf('requestWalletCode')).toHaveLength(1);
  });

  it('lets Esc abandon the wait for the wallet host', async () => {
    await codeSent();
    await fireEvent.input(input('code'), { target: { value: '123456' } });
    await fireEvent.submit(input('code').form!);
    await vi.waitFor(() => expect(fake.callsOf('startWalletInquiry')).toHaveLength(1));
    await show(progress({ inquiryId: 1, kind: 'wallet', step: 'processing', waitMs: 15_000 }));
    expect(screen.getByTestId('host-wait').textContent).toContain('最多还需 15 秒');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(fake.callsOf('cancelInquiry')).toEqual([{ inquiryId: 1 }]);
  });
});

describe('the payment password', () => {
  async function passwordAsked(): Promise<void> {
    render(WalletInquiry, { app: appState(), ondone: () => undefined });
    await fireEvent.input(input('account'), { target: { value: '13812345678' } });
    await fireEvent.keyDown(window, { key: 'F6' });
    await vi.waitFor(() => expect(fake.callsOf('startWalletInquiry')).toHaveLength(1));
    await show(
      progress({ inquiryId: 1, kind: 'wallet', step: 'waiting-pin', maskedAccount: '138****5678' }),
    );
  }

  it('asks for the payment password, not the card PIN, and to shield the keypad', async () => {
    await passwordAsked();
    const step = screen.getByTestId('inquiry-step');
    expect(step.textContent).toContain('请顾客输入支付密码');
    expect(step.textContent).not.toContain('请在密码键盘上输入密码');
    expect(screen.getByTestId('shield-keypad').textContent).toBe('请顾客遮挡键盘输入密码');
  });

  it('after a wrong password, offers 重新输入密码 with the tries the host gave', async () => {
    await passwordAsked();
    await show(
      done(
        view({
          accountKind: 'wallet',
          outcome: 'declined',
          responseCode: null,
          errorCode: 'PASSWORD_WRONG',
          message: { en: 'wrong payment password', zh: '支付密码错误' },
          retry: 'password',
          triesLeft: 4,
        }),
        1,
      ),
    );
    expect(screen.getByTestId('tries-left').textContent).toBe('还可输入 4 次');
    expect(screen.getByTestId('retry').textContent).toContain('重新输入密码');
    await fireEvent.keyDown(window, { key: 'Enter' });
    await vi.waitFor(() => expect(fake.callsOf('startWalletInquiry')).toHaveLength(2));
    expect(fake.callsOf('startWalletInquiry')[1]).toEqual({
      account: '13812345678',
      proof: { kind: 'password' },
    });
  });
});
