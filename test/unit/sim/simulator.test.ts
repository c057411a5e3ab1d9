// The shape every simulator shares: one fault plan with four verbs, and stdin commands answered
// in both languages.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  formatReply,
  helpReply,
  reply,
  serveControl,
  unknownCommand,
} from '../../../src-main/sim/control';
import { FaultPlan } from '../../../src-main/sim/simulator';

interface Knobs {
  delayMs?: number;
  drop?: boolean;
  mti?: string[];
  times?: number;
}

describe('fault plan', () => {
  it('set replaces, update merges, an off knob goes, clear empties, current is a copy', () => {
    let changes = 0;
    const plan = new FaultPlan<Knobs>({ delayMs: 5 }, () => changes++);
    expect(plan.current()).toEqual({ delayMs: 5 });
    plan.set({ drop: true, mti: ['0200'] });
    expect(plan.current()).toEqual({ drop: true, mti: ['0200'] });
    plan.update({ delayMs: 10 });
    expect(plan.current()).toEqual({ drop: true, mti: ['0200'], delayMs: 10 });
    plan.update({ drop: false, delayMs: undefined });
    expect(plan.current()).toEqual({ mti: ['0200'] });
    const copy = plan.current();
    copy.mti!.push('0800');
    expect(plan.current()).toEqual({ mti: ['0200'] });
    plan.clear();
    expect(plan.current()).toEqual({});
    plan.set();
    expect(plan.any).toBe(false);
    expect(changes).toBe(5);
  });

  it('what the simulator records itself does not count as a change from outside', () => {
    let changes = 0;
    const plan = new FaultPlan<Knobs>({ times: 2 }, () => changes++);
    plan.record({ times: 1 });
    expect(plan.active).toEqual({ times: 1 });
    expect(changes).toBe(0);
  });
});

describe('control replies', () => {
  it('print as "中文 / English", or Chinese then English when a side has several lines', () => {
    expect(formatReply(reply('已清除故障', 'faults cleared'))).toBe('已清除故障 / faults cleared');
    expect(formatReply(reply('12', '12'))).toBe('12');
    const help = helpReply([
      ['drop', '不应答', 'never answer'],
      ['code XX', '强制应答码', 'force a response code'],
    ]);
    expect(formatReply(help)).toBe(
      'drop     不应答 / never answer\ncode XX  强制应答码 / force a response code',
    );
    expect(formatReply(reply('第一行\n第二行', 'one\ntwo'))).toBe('第一行\n第二行\none\ntwo');
  });

  it('serveControl asks each simulator in turn and says when none knows the command', async () => {
    const input = new PassThrough();
    const written: string[] = [];
    const control = serveControl(
      [
        (line) => (line.startsWith('wallet') ? reply('钱包', 'wallet') : undefined),
        async (line) => (line === 'drop' ? reply('不应答', 'drop answers') : undefined),
      ],
      { input, write: (text) => written.push(text) },
    );
    input.write('drop\n\nwallet clear\nexplode\n');
    await expect.poll(() => written.length).toBe(3);
    control.stop();
    expect(written).toEqual([
      '不应答 / drop answers\n',
      '钱包 / wallet\n',
      `${formatReply(unknownCommand('explode'))}\n`,
    ]);
    expect(written[2]).toContain('unknown command: explode');
  });
});
