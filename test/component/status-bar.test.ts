// The status bar after the link to the console drops and comes back: status events sent while
// it was down reached no one, so the bar asks for the current state again (the review's item 6).
import { render, screen } from '@testing-library/svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StatusSnapshot } from '../../src-main/contract';
import StatusBar from '../../src-renderer/components/StatusBar.svelte';
import { fakeConsole } from './support/fake-api';
import { appState } from './support/views';

const fake = fakeConsole();
const online: StatusSnapshot = {
  hostOnline: true,
  signedOn: true,
  pinpad: 'ready',
  printer: 'ready',
};
let current: StatusSnapshot;

beforeEach(() => {
  current = online;
  fake.reset({ getAppState: () => appState({ status: current }) });
});

function showBar() {
  const app = appState({ status: online });
  return render(StatusBar, { props: { app, operator: app.operator! } });
}

describe('status bar and the link to the console', () => {
  it('asks for the current state again when the link is back', async () => {
    showBar();
    await vi.waitFor(() => expect(fake.callsOf('getAppState')).toHaveLength(1));
    expect(screen.getByTestId('status-host').textContent).toContain('在线');

    // While the link is down the host went offline and the PIN pad was unplugged: no event came.
    fake.connection(false);
    current = { hostOnline: false, signedOn: false, pinpad: 'missing', printer: 'ready' };
    fake.connection(true);

    await vi.waitFor(() => expect(screen.getByTestId('status-host').textContent).toContain('离线'));
    expect(screen.getByTestId('status-pinpad').textContent).toContain('未连接');
    expect(fake.callsOf('getAppState')).toHaveLength(2);
  });

  it('stops listening for the link when it is gone', async () => {
    const before = fake.connectionListenerCount;
    const bar = showBar();
    await vi.waitFor(() => expect(fake.connectionListenerCount).toBe(before + 1));
    bar.unmount();
    expect(fake.connectionListenerCount).toBe(before);
    fake.connection(true);
    expect(fake.callsOf('getAppState')).toHaveLength(1);
  });
});
