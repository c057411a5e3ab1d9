import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  cupPosPackager,
  decodeFrameBody,
  encodeFrameBody,
  isoMessage,
} from '../../../../src-main/protocols/iso8583';
import {
  defaultHostSimConfig,
  HostFaultPlan,
  HostSimConfigError,
  loadHostSimConfig,
  parseHostSimConfig,
  SimulatedHost,
  startHostSimulator,
} from '../../../../src-main/sim/host';

const frameOf = (mti: string, fields: Parameters<typeof isoMessage>[1]) =>
  encodeFrameBody(
    { tpdu: '6000030000', header: '603100311004', message: isoMessage(mti, fields) },
    cupPosPackager,
  );

function answerOf(host: SimulatedHost, body: Buffer) {
  const a = host.handle(body);
  if (!('body' in a)) throw new Error('no answer');
  return decodeFrameBody(a.body, cupPosPackager).message;
}

describe('host simulator config', () => {
  it('the built-in config has a training TMK and active, lost and expired cards', () => {
    const c = defaultHostSimConfig();
    expect(c.tmk).toMatch(/^[0-9A-F]{32}$/);
    expect(c.keyScheme).toBe('003');
    const statuses = c.cards.map((x) => x.status);
    expect(statuses.filter((s) => s === 'active').length).toBeGreaterThanOrEqual(3);
    expect(statuses).toContain('lost');
    expect(statuses).toContain('expired');
    expect(new Set(c.cards.map((x) => x.ledgerFen)).size).toBe(c.cards.length);
  });

  it('loads a config file and refuses a wrong one with a typed error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'host-sim-cfg-'));
    try {
      const good = join(dir, 'good.json');
      writeFileSync(
        good,
        JSON.stringify({
          tmk: '11111111111111112222222222222222',
          cards: [{ pan: '6222020200112233446', pin: '1234', ledgerFen: 1, availableFen: 1 }],
        }),
      );
      const c = loadHostSimConfig(good);
      expect(c.cards[0]).toMatchObject({ status: 'active', currency: '156', accountType: '10' });
      expect(c.maxPinTries).toBe(3);
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ tmk: '1234', cards: [] }));
      expect(() => loadHostSimConfig(bad)).toThrow(HostSimConfigError);
      writeFileSync(bad, '{');
      expect(() => loadHostSimConfig(bad)).toThrow(HostSimConfigError);
      expect(() => loadHostSimConfig(join(dir, 'missing.json'))).toThrow(HostSimConfigError);
      expect(() => parseHostSimConfig({ ...c, cards: [{ pan: 'x' }] })).toThrowError(
        expect.objectContaining({ code: 'HOST_SIM_CONFIG_INVALID' }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('simulated host logic', () => {
  it('97 for a terminal that is not registered, when a terminal list is configured', () => {
    const host = new SimulatedHost({ ...defaultHostSimConfig(), terminals: ['T0000001'] });
    const m = answerOf(
      host,
      frameOf('0800', { 11: '000001', 41: 'OTHER001', 42: '898310048160001', 60: '00000001003' }),
    );
    expect(m.fields.get(39)).toBe('97');
    expect(m.fields.has(62)).toBe(false);
  });

  it('answers each key scheme with its F62 layout', () => {
    const host = new SimulatedHost(defaultHostSimConfig());
    for (const [scheme, len] of [
      ['001', 24],
      ['003', 40],
      ['004', 60],
    ] as const) {
      const m = answerOf(
        host,
        frameOf('0800', {
          11: '000001',
          41: 'T0000001',
          42: '898310048160001',
          60: `00000001${scheme}`,
        }),
      );
      expect((m.fields.get(62) as Buffer).length).toBe(len);
      expect(m.fields.get(60)).toBe(`00000001${scheme}`);
    }
  });

  it('an unreadable frame closes the connection; an unknown MTI is answered 12', () => {
    const host = new SimulatedHost(defaultHostSimConfig());
    expect(host.handle(Buffer.from('00112233', 'hex'))).toEqual({ close: true });
    expect(host.stats.badFrames).toBe(1);
    const m = answerOf(host, frameOf('0400', { 11: '000009', 41: 'T0000001' }));
    expect(m.mti).toBe('0410');
    expect(m.fields.get(39)).toBe('12');
  });

  it('a 0200 before any sign-on is answered A0 without a MAC', () => {
    const host = new SimulatedHost(defaultHostSimConfig());
    const m = answerOf(
      host,
      frameOf('0200', { 3: '310000', 11: '000002', 41: 'T0000001', 64: Buffer.alloc(8) }),
    );
    expect(m.fields.get(39)).toBe('A0');
    expect(m.fields.has(64)).toBe(false);
  });
});

describe('fault plan', () => {
  it('applies to matching MTIs only and counts down', () => {
    const plan = new HostFaultPlan();
    plan.set({ drop: true, mti: ['0200'], times: 2 });
    expect(plan.take('0800')).toBeUndefined();
    expect(plan.take('0200')).toEqual(expect.objectContaining({ drop: true }));
    expect(plan.take('0200')).toBeDefined();
    expect(plan.take('0200')).toBeUndefined();
    plan.set({ badMac: true });
    expect(plan.take('0800')).toBeDefined();
    plan.set(undefined);
    expect(plan.take('0800')).toBeUndefined();
  });
});

describe('server', () => {
  it('garbage closes that connection only; the simulator keeps serving others', async () => {
    const sim = await startHostSimulator();
    try {
      const closed = await new Promise<boolean>((resolve) => {
        const s = new Socket();
        s.connect(sim.address.port, '127.0.0.1', () =>
          s.write(Buffer.from('0005FFFFFFFFFF', 'hex')),
        );
        s.on('close', () => resolve(true));
        s.on('error', () => undefined);
      });
      expect(closed).toBe(true);
      const huge = await new Promise<boolean>((resolve) => {
        const s = new Socket();
        s.connect(sim.address.port, '127.0.0.1', () => s.write(Buffer.from('FFFF00', 'hex')));
        s.on('close', () => resolve(true));
        s.on('error', () => undefined);
      });
      expect(huge).toBe(true);
      const answer = await new Promise<Buffer>((resolve) => {
        const s = new Socket();
        const body = frameOf('0820', {
          11: '000001',
          41: 'T0000001',
          42: '898310048160001',
          60: '00000001301',
        });
        const len = Buffer.alloc(2);
        len.writeUInt16BE(body.length);
        s.connect(sim.address.port, '127.0.0.1', () => s.write(Buffer.concat([len, body])));
        s.on('data', (d: Buffer) => {
          resolve(d);
          s.destroy();
        });
      });
      expect(decodeFrameBody(answer.subarray(2), cupPosPackager).message.fields.get(39)).toBe('00');
      expect(sim.stats.badFrames).toBe(1);
    } finally {
      await sim.close();
    }
  });
});

describe('simulated host fuzz', () => {
  it('any bytes, or a mutated valid request, give an answer or a close, never an exception', async () => {
    const fc = (await import('fast-check')).default;
    const host = new SimulatedHost(defaultHostSimConfig());
    const ids = { 41: 'T0000001', 42: '898310048160001' };
    answerOf(host, frameOf('0800', { 11: '000001', ...ids, 60: '00000001003' }));
    const seeds = [
      frameOf('0800', { 11: '000001', ...ids, 60: '00000001003', 63: '01 ' }),
      frameOf('0820', { 11: '000002', ...ids, 60: '00000001301' }),
      frameOf('0200', {
        2: '6222020200112233446',
        3: '310000',
        11: '000003',
        22: '051',
        ...ids,
        49: '156',
        52: Buffer.alloc(8),
        55: Buffer.alloc(20),
        60: '0100000100060',
        64: Buffer.alloc(8),
      }),
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...seeds),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.option(fc.nat()),
        (seed, flips, cut) => {
          let b = Buffer.from(seed);
          for (const [pos, val] of flips) b[pos % b.length] = val;
          if (cut !== null) b = b.subarray(0, cut % (b.length + 1));
          const a = host.handle(b);
          expect('body' in a || 'close' in a).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const a = host.handle(Buffer.from(bytes));
        expect('body' in a || 'close' in a).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
