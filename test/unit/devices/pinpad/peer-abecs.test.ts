// The ABECS path against the clean-room ABECS peer (test/peers/abecs) over a real socat pty:
// our driver drives the peer pad, and our emulator is driven by the peer terminal.
import { afterEach, describe, expect, it } from 'vitest';
import { pinBlockFormat0, tdesDecryptEcb, tdesEncryptEcb } from '../../../../src-main/crypto';
import { AbecsPinpad, type PinKey } from '../../../../src-main/devices/pinpad';
import { startPinpadEmulator } from '../../../../src-main/sim/pinpad';
import {
  PeerAbecsTerminal,
  cexBlock,
  decodeGpn,
  gpnBlock,
  gtkBlock,
  startPeerAbecsPad,
  type PeerCard,
} from '../../../peers/abecs';
import { ptyPair } from './pty-fixture';

const TMK = Buffer.from('1F2E3D4C5B6A79880123456789ABCDEF', 'hex');
const PIK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const SWIPE_CARD: PeerCard = {
  pan: '6222020200112233446',
  expiry: '3012',
  track2: '6222020200112233446=30121010000012345',
};

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

async function peerPad(name: string, options: { pin?: string; cancels?: boolean } = {}) {
  const pty = await ptyPair(name);
  closers.push(() => pty.close());
  const pad = await startPeerAbecsPad({
    path: pty.devicePath,
    masterKeys: { 1: TMK.toString('hex') },
    card: SWIPE_CARD,
    ...(options.pin ? { pin: options.pin } : {}),
    ...(options.cancels ? { cardholderCancels: true } : {}),
  });
  closers.push(() => pad.close());
  const driver = new AbecsPinpad({ path: pty.hostPath });
  closers.push(() => driver.close());
  return { pad, driver };
}

const pinKey = (masterKeyIndex = 1): PinKey => ({
  scheme: 'mkwk',
  algorithm: '3des',
  masterKeyIndex,
  workingKeyEncrypted: tdesEncryptEcb(TMK, PIK),
});

describe('our ABECS driver against the clean-room ABECS pad', () => {
  it('opens the pad and reads who it is (CAN, OPN, GIN)', async () => {
    const { pad, driver } = await peerPad('peer-abecs-open');
    const info = await driver.open();
    expect(info.protocol).toBe('abecs');
    expect(info.maker.length).toBeGreaterThan(0);
    expect(pad.received.map((c) => c.id).slice(0, 2)).toEqual(['OPN', 'GIN']);
  });

  it('a swipe gives the full track 2 from GTK "0010", and the PIN block decrypts to format 0', async () => {
    const { pad, driver } = await peerPad('peer-abecs-swipe', { pin: '246810' });
    await driver.open();
    const read = await driver.waitForCard({ timeoutMs: 10_000 });
    expect(read.outcome).toBe('card');
    if (read.outcome !== 'card') return;
    expect(read.card.entry).toBe('swipe');
    expect(read.card.track2).toBe(SWIPE_CARD.track2);
    expect(read.card.maskedPan).toBe('622202*********3446');
    const gtk = pad.received.find((c) => c.id === 'GTK')!;
    expect(gtk.params?.get(0x0007)?.toString('latin1')).toBe('0010');

    const pin = await driver.getPin({ card: read.card, key: pinKey(), timeoutMs: 10_000 });
    expect(pin.outcome).toBe('pin');
    if (pin.outcome !== 'pin') return;
    expect(tdesDecryptEcb(PIK, pin.pinBlock)).toEqual(pinBlockFormat0('246810', SWIPE_CARD.pan));
    expect(pad.answered.filter((a) => a.id === 'GPN')).toEqual([{ id: 'GPN', status: '000' }]);
  });

  it('the cardholder pressing CANCEL at the PIN prompt ends it as cancelled', async () => {
    const { driver } = await peerPad('peer-abecs-cancel', { cancels: true });
    await driver.open();
    const read = await driver.waitForCard({ timeoutMs: 10_000 });
    // With cancelling on, the peer's cardholder also cancels at CEX: the driver reports that.
    if (read.outcome === 'card') {
      const pin = await driver.getPin({ card: read.card, key: pinKey(), timeoutMs: 10_000 });
      expect(pin).toMatchObject({ outcome: 'cancelled', by: 'cardholder' });
    } else {
      expect(read).toMatchObject({ outcome: 'cancelled', by: 'cardholder' });
    }
  });

  it('a master key position the pad does not hold is KEY_MISSING, with words for the cashier', async () => {
    const { driver } = await peerPad('peer-abecs-nokey', { pin: '1234' });
    await driver.open();
    const read = await driver.waitForCard({ timeoutMs: 10_000 });
    if (read.outcome !== 'card') throw new Error('no card');
    const refused = await driver
      .getPin({ card: read.card, key: pinKey(7), timeoutMs: 10_000 })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'KEY_MISSING' });
    expect((refused as { messageZh: string }).messageZh).toContain('密钥');
  });
});

describe('our ABECS emulator driven by the clean-room terminal', () => {
  it('answers the spec swipe flow: OPN, GIN, DSP, CEX, GTK "0010", GPN, CLO', async () => {
    const pty = await ptyPair('peer-abecs-emu');
    closers.push(() => pty.close());
    const emulator = await startPinpadEmulator({
      protocol: 'abecs',
      path: pty.devicePath,
      pty,
      pin: '123456',
      autoCard: 'debit-swipe',
      masterKeys: { 1: TMK.toString('hex') },
    });
    closers.push(() => emulator.stop());
    const terminal = await PeerAbecsTerminal.open(pty.hostPath);
    closers.push(() => terminal.close());

    expect((await terminal.command('OPN')).status).toBe('000');
    expect((await terminal.command('GIN', Buffer.from('00'))).status).toBe('000');
    const cex = await terminal.command('CEX', cexBlock({ options: '010000' }), { blocking: true });
    expect(cex.status).toBe('000');
    expect(cex.params?.get(0x8040)?.toString('latin1')).toBe('90');
    // §5.4.1: the incomplete track in clear, cut seven positions after '='.
    expect(cex.params?.get(0x8042)?.toString('latin1')).toBe('6222020200112233446=3012101');
    const gtk = await terminal.command('GTK', gtkBlock({ tracks: '0010' }));
    expect(gtk.status).toBe('000');
    expect(gtk.params?.has(0x8045)).toBe(true);
    expect(gtk.params?.has(0x8044)).toBe(false);
    const again = await terminal.command('GTK', gtkBlock({ tracks: '0010' }));
    expect(again.status).toBe('010');
    const gpn = await terminal.command(
      'GPN',
      gpnBlock({
        method: '1',
        keyIndex: 1,
        workingKeyEnc: tdesEncryptEcb(TMK, PIK),
        pan: '6222020200112233446',
        min: 4,
        max: 12,
        message: 'SENHA:',
      }),
      { blocking: true },
    );
    expect(gpn.status).toBe('000');
    const { pinBlock } = decodeGpn(gpn);
    expect(tdesDecryptEcb(PIK, pinBlock)).toEqual(pinBlockFormat0('123456', '6222020200112233446'));
    expect((await terminal.command('CLO', Buffer.from(' '.repeat(32)))).status).toBe('000');
  });
});
