// The terminal service: opening again is serialised, never leaves two terminals open or a
// half-closed one behind, falls back to the previous config, and says so when even that fails.
// Fake terminals here (a terminal that fails to open on demand); the real console below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src-main/contract';
import type { CashierConfig } from '../../../src-main/core/config';
import { defaultConfig } from '../../../src-main/core/config';
import type { InquiryRunner } from '../../../src-main/core/inquiry';
import { TerminalService, type OpenTerminal, type Terminal } from '../../../src-main/core/terminal';
import { openTrainingConsole, type TrainingConsole } from './support/training-console';

function configNamed(id: string): CashierConfig {
  const config = defaultConfig();
  config.terminal.id = id;
  return config;
}

/** Opens fake terminals, slowly, counting how many are open at once; ids in `failing` fail. */
function fakeTerminals(failing: Set<string> = new Set()) {
  let open = 0;
  const seen = { opened: [] as string[], closed: [] as string[], mostOpenAtOnce: 0, busy: false };
  const opener = async (config: CashierConfig): Promise<OpenTerminal> => {
    const id = config.terminal.id;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (failing.has(id)) throw Object.assign(new Error(`${id} does not open`), { code: 'NOPE' });
    open++;
    seen.opened.push(id);
    seen.mostOpenAtOnce = Math.max(seen.mostOpenAtOnce, open);
    return {
      config,
      terminal: { pinpad: { cancel: async () => undefined } } as unknown as Terminal,
      inquiries: {
        get busy() {
          return seen.busy;
        },
        idle: async () => undefined,
      } as unknown as InquiryRunner,
      async close() {
        await new Promise((resolve) => setTimeout(resolve, 5));
        open--;
        seen.closed.push(id);
      },
    };
  };
  return { opener, seen, isOpen: () => open };
}

describe('terminal service', () => {
  it('serialises concurrent reopens: never two terminals open, every old one closed', async () => {
    const fake = fakeTerminals();
    const service = await TerminalService.open(configNamed('T0000001'), { open: fake.opener });
    await Promise.all(
      ['T0000002', 'T0000003', 'T0000004'].map((id) => service.reopen(async () => configNamed(id))),
    );
    expect(fake.seen.mostOpenAtOnce).toBe(1);
    expect(fake.isOpen()).toBe(1);
    expect(fake.seen.opened).toEqual(['T0000001', 'T0000002', 'T0000003', 'T0000004']);
    expect(fake.seen.closed).toEqual(['T0000001', 'T0000002', 'T0000003']);
    expect(service.current().config.terminal.id).toBe('T0000004');
  });

  it('reopens the previous config when the new one does not open, and throws the cause', async () => {
    const fake = fakeTerminals(new Set(['T0000009']));
    const service = await TerminalService.open(configNamed('T0000001'), { open: fake.opener });
    await expect(service.reopen(async () => configNamed('T0000009'))).rejects.toMatchObject({
      code: 'NOPE',
    });
    expect(service.phase).toBe('open');
    expect(service.current().config.terminal.id).toBe('T0000001');
    expect(service.config().terminal.id).toBe('T0000001');
    expect(fake.isOpen()).toBe(1);
  });

  it('is closed, saying so in both languages on every call, when neither config opens', async () => {
    const failing = new Set(['T0000009']);
    const fake = fakeTerminals(failing);
    const closedBecause: unknown[] = [];
    const service = await TerminalService.open(configNamed('T0000001'), {
      open: fake.opener,
      onClosed: (error) => closedBecause.push(error),
    });
    failing.add('T0000001');
    await expect(service.reopen(async () => configNamed('T0000009'))).rejects.toThrow(
      'T0000009 does not open',
    );
    expect(service.phase).toBe('closed');
    expect(fake.isOpen()).toBe(0);
    expect(closedBecause).toHaveLength(1);
    for (let i = 0; i < 2; i++) {
      let error: unknown;
      try {
        service.current();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({
        code: 'TERMINAL_CLOSED',
        message: expect.stringContaining('T0000001 does not open'),
        messageZh: expect.stringContaining('终端已关闭'),
      });
    }
    // The config in effect is still known (the first screen still shows it).
    expect(service.config().terminal.id).toBe('T0000001');
    // Settings fixed: the next reopen opens a terminal again.
    await service.reopen(async () => configNamed('T0000002'));
    expect(service.current().config.terminal.id).toBe('T0000002');
    expect(fake.isOpen()).toBe(1);
  });

  it('refuses to reopen under a running inquiry, and a config that cannot be read changes nothing', async () => {
    const fake = fakeTerminals();
    const service = await TerminalService.open(configNamed('T0000001'), { open: fake.opener });
    fake.seen.busy = true;
    await expect(service.reopen(async () => configNamed('T0000002'))).rejects.toMatchObject({
      code: 'BUSY',
    });
    fake.seen.busy = false;
    await expect(
      service.reopen(async () => {
        throw new Error('config.json is malformed');
      }),
    ).rejects.toThrow('malformed');
    expect(service.current().config.terminal.id).toBe('T0000001');
    expect(fake.seen.closed).toEqual([]);
  });

  it('answers BUSY while reopening, and a close waits for the reopen', async () => {
    const fake = fakeTerminals();
    const service = await TerminalService.open(configNamed('T0000001'), { open: fake.opener });
    const reopening = service.reopen(async () => configNamed('T0000002'));
    await new Promise((resolve) => setTimeout(resolve, 1));
    expect(() => service.current()).toThrow(expect.objectContaining({ code: 'BUSY' }));
    await service.close();
    await reopening;
    expect(fake.isOpen()).toBe(0);
    expect(() => service.current()).toThrow(expect.objectContaining({ code: 'TERMINAL_CLOSED' }));
  });
});

describe('applying changes on a running console', () => {
  let training: TrainingConsole;

  beforeAll(async () => {
    training = await openTrainingConsole('apply');
  });

  afterAll(async () => {
    await training?.close();
  });

  it('two concurrent applies both succeed and leave one working terminal, the others closed', async () => {
    const { core, call, supervisor } = training;
    const first = core.terminals.current();
    const [a, b] = await Promise.all([
      call(supervisor, 'applyChanges'),
      call(supervisor, 'applyChanges'),
    ]);
    expect([a, b]).toEqual([{ ok: true }, { ok: true }]);
    const now = core.terminals.current();
    expect(now).not.toBe(first);
    // The terminal open now answers; the first one is closed.
    expect(await call(supervisor, 'hostEcho')).toMatchObject({ responseCode: '00' });
    await expect(first.terminal.host.networkTest()).rejects.toBeDefined();
    const applied = await core.store.audit.list({ kind: 'config-change' });
    expect(applied.filter((e) => (e.detail as { applied?: boolean }).applied)).toHaveLength(2);
  });
});
