// Settings for a kiosk and for the PIN: the browser window's fixed port (1024 to 65535, or empty
// for automatic; next start) and this till's PIN tries per inquiry, checked in the app's own
// words in both languages (issue 16, findings 10 and 14).
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReviewSettings, SettingsView } from '../../src-main/contract';
import { i18n } from '../../src-renderer/i18n/index.svelte';
import Settings from '../../src-renderer/screens/Settings.svelte';
import { fakeConsole } from './support/fake-api';

const fake = fakeConsole();

const view: SettingsView = {
  mode: 'training',
  language: 'zh-CN',
  merchant: { id: '123456789012345', name: '幸福便利店' },
  terminal: { id: 'T0000001' },
  servicePhone: '95516',
  bankPhone: '',
  walletPhone: '',
  host: {
    address: '127.0.0.1',
    port: 5000,
    tls: false,
    pinnedCertSha256: '',
    connectTimeoutMs: 5000,
    responseTimeoutMs: 30000,
    macAlgorithm: 'ecb',
    privateLine: false,
  },
  walletLink: null,
  security: { passwordMaxAgeDays: 90, idleLockMinutes: 10, pinTriesPerInquiry: 3 },
  browserShellPort: null,
};

const review: ReviewSettings = {
  repeatAccount: { enabled: true, count: 3, minutes: 10 },
  cardTesting: { enabled: true, cards: 3, minutes: 10 },
  afterHours: { enabled: true, open: '08:00', close: '22:00' },
  operatorRate: { enabled: false, minInquiries: 20, pointsAbove: 20 },
  outcomeUnknown: { enabled: true, minutes: 30 },
  lateFirstPrint: { enabled: true, minutes: 60 },
};

function input(name: string): HTMLInputElement {
  const found = document.querySelector<HTMLInputElement>(`[name="${name}"]`);
  if (!found) throw new Error(`no field ${name}`);
  return found;
}

beforeEach(() => {
  fake.reset({
    getSettings: () => structuredClone(view),
    getReviewSettings: () => review,
    saveSettings: (args) => ({
      settings: {
        ...view,
        security: { ...view.security, ...args.security },
        browserShellPort: args.browserShellPort ?? null,
      },
      changed: args.browserShellPort ? ['browserShell.port'] : [],
      restartNeeded: !!args.browserShellPort,
    }),
  });
});

async function loaded(): Promise<void> {
  render(Settings, { ondone: () => undefined });
  await vi.waitFor(() => expect(input('browserShellPort')).toBeTruthy());
}

describe('the fixed port of the browser window', () => {
  it('empty is automatic; saved as null', async () => {
    await loaded();
    expect(input('browserShellPort').value).toBe('');
    expect(screen.getByText(/1024至65535，留空为自动；下次启动时生效/)).toBeTruthy();
    await fireEvent.submit(screen.getByTestId('settings-form'));
    await vi.waitFor(() => expect(fake.callsOf('saveSettings')).toHaveLength(1));
    expect(fake.callsOf('saveSettings')[0]).toMatchObject({ browserShellPort: null });
  });

  it('refuses a port below 1024 in the app words, in both languages, and sends nothing', async () => {
    await loaded();
    await fireEvent.input(input('browserShellPort'), { target: { value: '80' } });
    await fireEvent.submit(screen.getByTestId('settings-form'));
    await tick();
    expect(fake.callsOf('saveSettings')).toHaveLength(0);
    expect(screen.getByRole('alert').textContent).toBe(
      '“浏览器窗口固定端口”须在 1024 至 65535 之间。',
    );
    expect(document.activeElement).toBe(input('browserShellPort'));
    i18n.set('en', false);
    await tick();
    expect(screen.getByRole('alert').textContent).toBe(
      '“Fixed port of the browser window” must be from 1024 to 65535.',
    );
    i18n.set('zh-CN', false);
  });

  it('saves 18443 and says it takes effect at the next start', async () => {
    await loaded();
    await fireEvent.input(input('browserShellPort'), { target: { value: '18443' } });
    await fireEvent.submit(screen.getByTestId('settings-form'));
    await vi.waitFor(() => expect(fake.callsOf('saveSettings')).toHaveLength(1));
    expect(fake.callsOf('saveSettings')[0]).toMatchObject({ browserShellPort: 18443 });
    await vi.waitFor(() =>
      expect(screen.getByTestId('port-next-start').textContent).toContain('下次启动收银台时生效'),
    );
  });
});

describe("this till's PIN tries per inquiry", () => {
  it("is shown as this till's own limit, 1 to 9", async () => {
    await loaded();
    expect(input('pinTries').value).toBe('3');
    const label = input('pinTries').closest('label')!.textContent!;
    expect(label).toContain('本机每次查询可输入密码次数');
    expect(label).toContain('发卡银行另有锁卡次数');
    await fireEvent.input(input('pinTries'), { target: { value: '0' } });
    await fireEvent.submit(screen.getByTestId('settings-form'));
    await tick();
    expect(fake.callsOf('saveSettings')).toHaveLength(0);
    expect(screen.getByRole('alert').textContent).toBe(
      '“本机每次查询可输入密码次数”须在 1 至 9 之间。',
    );
  });
});
