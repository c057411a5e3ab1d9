// The bank card screen against a fake console: the host countdown and Esc while the host is
// asked (finding 3), the retry key after a mistyped PIN (finding 10), the PIN prompt's words.
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../src-renderer/i18n/index.svelte';
import CardInquiry from '../../src-renderer/screens/CardInquiry.svelte';
import { fakeConsole } from './support/fake-api';
import { appState, done, progress, view } from './support/views';

const fake = fakeConsole();

beforeEach(() => {
  fake.reset({
    startCardInquiry: () => ({ inquiryId: 7 }),
    cancelInquiry: () => ({ ok: true }),
  });
});

afterEach(() => {
  vi.useRealTimers();
});

/** The screen has asked for an inquiry and follows id 7. */
async function started(): Promise<void> {
  render(CardInquiry, { app: appState(), ondone: () => undefined });
  await vi.waitFor(() => expect(fake.callsOf('startCardInquiry')).toHaveLength(1));
  await tick();
}

async function show(next: Parameters<typeof fake.emit<'inquiry'>>[1]): Promise<void> {
  fake.emit('inquiry', next);
  await tick();
}

describe('while the host is asked', () => {
  it('counts down the time left and lets Esc abandon the wait', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    await started();
    await show(progress({ inquiryId: 7, step: 'processing', waitMs: 30_000 }));
    expect(screen.getByTestId('host-wait').textContent).toContain('最多还需 30 秒');
    vi.advanceTimersByTime(12_000);
    await tick();
    expect(screen.getByTestId('host-wait').textContent).toContain('最多还需 18 秒');
    vi.advanceTimersByTime(20_000);
    await tick();
    // Past the host's timeout the screen says it is still waiting, and how to stop.
    expect(screen.getByTestId('host-wait').textContent).toContain('主机仍未应答');
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(fake.callsOf('cancelInquiry')).toEqual([{ inquiryId: 7 }]);
  });

  it('shows what the log row says after Esc: outcome unknown', async () => {
    await started();
    await show(
      done(
        view({
          outcome: 'unknown',
          errorCode: 'ABANDONED',
          responseCode: null,
          message: { en: 'Stopped waiting for the host', zh: '已放弃等待主机应答，结果未知' },
        }),
        7,
      ),
    );
    const result = screen.getByTestId('inquiry-result');
    expect(result.dataset['outcome']).toBe('unknown');
    expect(result.textContent).toContain('已放弃等待主机应答');
  });
});

describe('a mistyped PIN', () => {
  const wrongPin = (change: Parameters<typeof view>[0] = {}) =>
    view({
      outcome: 'declined',
      responseCode: '55',
      message: { en: 'Incorrect PIN', zh: '密码错误' },
      advice: { en: 'Ask the customer to enter the PIN again.', zh: '请顾客重新输入密码。' },
      retry: 'pin',
      triesLeft: 2,
      ...change,
    });

  it("says this till's tries left, and Enter asks for the PIN alone in the same inquiry", async () => {
    fake.reset({
      startCardInquiry: () => ({ inquiryId: 7 }),
      retryCardPin: () => ({ inquiryId: 8 }),
      cancelInquiry: () => ({ ok: true }),
    });
    await started();
    await show(done(wrongPin(), 7));
    expect(screen.getByTestId('retry').textContent).toContain('重新输入密码');
    expect(screen.getByTestId('tries-left').textContent).toBe('还可输入 2 次');
    await fireEvent.keyDown(window, { key: 'Enter' });
    await vi.waitFor(() => expect(fake.callsOf('retryCardPin')).toEqual([{ inquiryId: 7 }]));
    // Not a new card inquiry: the retry follows its own id, and its PIN prompt comes at once.
    expect(fake.callsOf('startCardInquiry')).toHaveLength(1);
    await show(
      progress({ inquiryId: 8, step: 'waiting-pin', maskedAccount: '622202*********3446' }),
    );
    expect(screen.getByTestId('inquiry-step').dataset['step']).toBe('waiting-pin');
    expect(screen.getByTestId('inquiry-step').textContent).toContain('请在密码键盘上输入密码');
    await show(done(view(), 8));
    expect(screen.getByTestId('inquiry-result').dataset['outcome']).toBe('approved');
  });

  it('says "1 try left" in English, in the plural that fits', async () => {
    i18n.set('en', false);
    try {
      await started();
      await show(done(wrongPin({ triesLeft: 1 }), 7));
      expect(screen.getByTestId('tries-left').textContent).toBe('1 try left');
    } finally {
      i18n.set('zh-CN', false);
    }
  });

  it('a chip card: the retry says the card is read again', async () => {
    await started();
    await show(done(wrongPin({ entryMode: 'chip' }), 7));
    expect(screen.getByTestId('retry').textContent).toContain('重新读卡并输入密码');
    expect(screen.getByTestId('card-again').textContent).toContain('请顾客重新插卡或挥卡');
  });

  it('Esc on the wrong-PIN answer ends that inquiry in the console too', async () => {
    const ondone = vi.fn();
    render(CardInquiry, { app: appState(), ondone });
    await vi.waitFor(() => expect(fake.callsOf('startCardInquiry')).toHaveLength(1));
    await tick();
    await show(done(wrongPin(), 7));
    await fireEvent.keyDown(window, { key: 'Escape' });
    expect(ondone).toHaveBeenCalled();
    expect(fake.callsOf('cancelInquiry')).toEqual([{ inquiryId: 7 }]);
  });

  it('offers no retry once the till limit is used up, and says why', async () => {
    await started();
    const advice = {
      en: 'This terminal allows 3 PIN tries per inquiry, and they are used up.',
      zh: '本机每次查询最多可输入 3 次密码，已用完。',
    };
    await show(done(wrongPin({ retry: null, triesLeft: 0, advice }), 7));
    expect(screen.queryByTestId('retry')).toBeNull();
    expect(screen.getByTestId('inquiry-result').textContent).toContain(
      '本机每次查询最多可输入 3 次密码',
    );
  });
});

describe('the PIN prompt', () => {
  it("asks the customer to shield the keypad, and keeps the pad's raw text off a Chinese screen", async () => {
    await started();
    await show(
      progress({
        inquiryId: 7,
        step: 'waiting-pin',
        maskedAccount: '622202*********3446',
        pinDigits: 3,
        padText: 'PIN: ***',
      }),
    );
    const step = screen.getByTestId('inquiry-step');
    expect(step.textContent).toContain('请在密码键盘上输入密码');
    expect(screen.getByTestId('shield-keypad').textContent).toBe('请顾客遮挡键盘输入密码');
    expect(step.textContent).not.toContain('PIN: ***');
    expect(screen.getByTestId('pin-dots').querySelectorAll('.filled')).toHaveLength(3);
  });

  it('leaves no raw pad line behind on the host step, in English either', async () => {
    i18n.set('en', false);
    try {
      await started();
      await show(
        progress({ inquiryId: 7, step: 'processing', padText: 'PIN: ******', waitMs: 5_000 }),
      );
      const step = screen.getByTestId('inquiry-step');
      expect(step.textContent).toContain('At most 5 s left');
      expect(step.textContent).not.toContain('PIN: ******');
    } finally {
      i18n.set('zh-CN', false);
    }
  });
});
