// The whole app against a fake console: when the console ends this window's login (idle, or a
// call refused as not logged in) the window goes straight to the login screen, and a new
// idle-lock time reaches an open window at once (finding 9).
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import App from '../../src-renderer/App.svelte';
import { FakeRefusal, fakeConsole } from './support/fake-api';
import { appState } from './support/views';

const fake = fakeConsole();

// App loads Home (and every screen it opens) on demand, as a chunk of its own: loaded once here,
// so the first wait below is for the app, not for Vitest compiling those screens.
beforeAll(() => import('../../src-renderer/screens/Home.svelte'), 60_000);

beforeEach(() => {
  fake.reset({
    getAppState: () => appState(),
    logout: () => ({ ok: true }),
    startCardInquiry: () => {
      throw new FakeRefusal('NOT_LOGGED_IN', 'Please log in first.', '请先登录。');
    },
  });
});

afterEach(() => {
  vi.useRealTimers();
});

const heading = () => document.querySelector('h1')?.textContent ?? '';

async function atHome(): Promise<void> {
  render(App);
  await vi.waitFor(() => expect(heading()).toContain('您好'));
}

describe('when the console ends the login', () => {
  it('an idle lock sent by the console shows the login screen, saying why', async () => {
    await atHome();
    fake.emit('session', { reason: 'idle' });
    await tick();
    expect(heading()).toBe('操作员登录');
    expect(document.body.textContent).toContain('长时间未操作');
    // The operator number is filled in again for them.
    expect(document.querySelector<HTMLInputElement>('input[name=operatorNo]')?.value).toBe('2001');
  });

  it('says why until the next login attempt, and a wrong password shows its error alone', async () => {
    fake.reset({
      getAppState: () => appState(),
      login: () => {
        throw new FakeRefusal(
          'LOGIN_FAILED',
          'Wrong operator number or password.',
          '操作员号或密码错误。',
        );
      },
    });
    await atHome();
    fake.emit('session', { reason: 'idle' });
    await tick();
    expect(document.body.textContent).toContain('长时间未操作');
    const password = document.querySelector<HTMLInputElement>('input[name=password]')!;
    await fireEvent.input(password, { target: { value: 'wrong-password' } });
    await fireEvent.submit(password.form!);
    await vi.waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe('操作员号或密码错误。'),
    );
    // The earlier notice is gone: only this attempt's error is above the form.
    expect(document.body.textContent).not.toContain('长时间未操作');
    expect(screen.queryAllByRole('status').filter((n) => n.closest('section'))).toHaveLength(0);
  });

  it('a call refused as not logged in goes to the login screen, not a dead end', async () => {
    await atHome();
    await fireEvent.keyDown(window, { key: 'F1' });
    await vi.waitFor(() => expect(heading()).toBe('操作员登录'));
    expect(screen.queryByText('请先登录。')).toBeNull();
  });
});

describe('a new idle-lock time', () => {
  it('applies in an open window at once', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    await atHome();
    // The supervisor lowers the lock from 10 minutes to 1 in another window.
    fake.emit('settings', { idleLockMinutes: 1 });
    await tick();
    vi.advanceTimersByTime(65_000);
    await vi.waitFor(() => expect(fake.callsOf('logout').length).toBeGreaterThan(0));
    await vi.waitFor(() => expect(heading()).toBe('操作员登录'));
  });
});
