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
  fcxBlock,
  gcxBlock,
  goxBlock,
  gpnBlock,
  gtkBlock,
  startPeerAbecsPad,
  type PeerCard,
} from '../../../peers/abecs';
import { SPEC_TLR_AID_EXAMPLE } from '../../../peers/abecs/spec-examples';
import { ptyPair } from './pty-fixture';

const TMK = Buffer.from('1F2E3D4C5B6A79880123456789ABCDEF', 'hex');
const PIK = Buffer.from('0123456789ABCDEFFEDCBA9876543210', 'hex');
const SWIPE_CARD: PeerCard = {
  pan: '6222020200112233446',
  expiry: '3012',
  track2: '6222020200112233446=30121010000012345',
};

/** A contact chip card the §3.5.3 table example (network "03", A0000000041010) accepts. */
const CHIP_CARD: PeerCard = {
  pan: '5413330089020011',
  expiry: '2802',
  track2: '5413330089020011=28022011234567890',
  emv: { aid: 'A0000000041010', label: 'MASTERCARD', panSequenceNumber: '01' },
};

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
});

async function peerPad(
  name: string,
  options: { pin?: string; cancels?: boolean; card?: PeerCard; emvTables?: boolean } = {},
) {
  const pty = await ptyPair(name);
  closers.push(() => pty.close());
  const pad = await startPeerAbecsPad({
    path: pty.devicePath,
    masterKeys: { 1: TMK.toString('hex') },
    card: options.card ?? SWIPE_CARD,
    ...(options.pin ? { pin: options.pin } : {}),
    ...(options.cancels ? { cardholderCancels: true } : {}),
  });
  closers.push(() => pad.close());
  if (options.emvTables) {
    // The driver loads no EMV tables (a gap, see the README): the peer's own terminal loads the
    // spec's TLR example (network "03") on the same port first, as an installer's tool would.
    const terminal = await PeerAbecsTerminal.open(pty.hostPath, { silenceMs: 50 });
    expect((await terminal.command('TLI', Buffer.from('03TABVER0001'))).status).toBe('020');
    const tlr = Buffer.from(SPEC_TLR_AID_EXAMPLE, 'hex').subarray(3);
    expect((await terminal.command('TLR', tlr, { raw: true })).status).toBe('000');
    expect((await terminal.command('TLE')).status).toBe('000');
    await terminal.close();
  }
  const driver = new AbecsPinpad({ path: pty.hostPath, acquirer: '03' });
  closers.push(() => driver.close());
  return { pad, driver };
}

async function emulatorWithTerminal(
  name: string,
  autoCard?: { id: string; action: 'swipe' | 'insert' | 'tap' },
) {
  const pty = await ptyPair(name);
  closers.push(() => pty.close());
  const emulator = await startPinpadEmulator({
    protocol: 'abecs',
    path: pty.devicePath,
    cable: pty,
    pin: '123456',
    ...(autoCard ? { autoCard } : {}),
    masterKeys: { 1: TMK.toString('hex') },
  });
  closers.push(() => emulator.close());
  const terminal = await PeerAbecsTerminal.open(pty.hostPath);
  closers.push(() => terminal.close());
  return { emulator, terminal };
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

describe('the chip path of our driver against the clean-room ABECS pad (§3.7, §3.3.12)', () => {
  it('GCX (no SPE_APPTYPE), then GTK "1010": the full PAN and track 2, not the masked PP_PAN; GOX and FCX follow', async () => {
    const { pad, driver } = await peerPad('peer-abecs-chip', {
      card: CHIP_CARD,
      pin: '2468',
      emvTables: true,
    });
    await driver.open();
    const read = await driver.waitForCard({ entries: ['chip'], timeoutMs: 10_000 });
    expect(read.outcome).toBe('card');
    if (read.outcome !== 'card') return;
    expect(read.card.entry).toBe('chip');
    // GCX answered PP_PAN masked by our SPE_PANMASK "0604": the number comes from PP_ENCPAN.
    const gcx = pad.received.find((c) => c.id === 'GCX')!;
    expect(gcx.params?.has(0x0011)).toBe(false);
    expect(gcx.params?.get(0x0023)?.toString('latin1')).toBe('0604');
    expect(read.card.pan).toBe(CHIP_CARD.pan);
    expect(read.card.track2).toBe(CHIP_CARD.track2);
    expect(read.card.panSequence).toBe('01');
    expect(read.card.expiry).toBe('2802');
    expect(read.card.maskedPan).toBe('541333******0011');
    const gtk = pad.received.find((c) => c.id === 'GTK')!;
    expect(gtk.params?.get(0x0007)?.toString('latin1')).toBe('1010');

    const online = await driver.chipGoOnline({ card: read.card, key: pinKey(), timeoutMs: 10_000 });
    expect(online.outcome).toBe('online');
    if (online.outcome !== 'online') return;
    expect(tdesDecryptEcb(PIK, online.pinBlock!)).toEqual(pinBlockFormat0('2468', CHIP_CARD.pan));
    await driver.chipFinish({ hostResult: 'approved', responseCode: '00', timeoutMs: 10_000 });
    expect(pad.answered.map((a) => `${a.id}${a.status}`).slice(3)).toEqual([
      'OPN000',
      'GIN000',
      'DSP000',
      'CEX000',
      'GCX000',
      'GTK000',
      'GOX000',
      'FCX000',
    ]);
  });

  it('a chip card on a pad without EMV tables: 070 reaches the cashier as CARD_ERROR, in Chinese too', async () => {
    const { pad, driver } = await peerPad('peer-abecs-notables', { card: CHIP_CARD, pin: '2468' });
    await driver.open();
    const refused = await driver
      .waitForCard({ entries: ['chip'], timeoutMs: 10_000 })
      .catch((e: unknown) => e);
    expect(pad.answered.at(-1)).toEqual({ id: 'GCX', status: '070' });
    expect(refused).toMatchObject({
      name: 'PinpadError',
      code: 'CARD_ERROR',
      details: { command: 'GCX', status: 70 },
    });
    expect((refused as { messageZh: string }).messageZh).toContain('刷卡');
    // The pad is still usable: the same card swiped goes through CEX and GTK.
    expect((await driver.info()).protocol).toBe('abecs');
  });
});

describe('our ABECS emulator driven by the clean-room terminal', () => {
  it('answers the spec swipe flow: OPN, GIN, DSP, CEX, GTK "0010", GPN, CLO', async () => {
    const pty = await ptyPair('peer-abecs-emu');
    closers.push(() => pty.close());
    const emulator = await startPinpadEmulator({
      protocol: 'abecs',
      path: pty.devicePath,
      cable: pty,
      pin: '123456',
      autoCard: 'debit-swipe',
      masterKeys: { 1: TMK.toString('hex') },
    });
    closers.push(() => emulator.close());
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
  it('chip per §3.7.1 / §3.3.12: GCX masks PP_PAN, gives PP_TRK2INC only; one GTK "1010"; GOX and FCX still run', async () => {
    const { emulator, terminal } = await emulatorWithTerminal('peer-abecs-emu-chip', {
      id: 'debit-chip',
      action: 'insert',
    });
    const gcx = await terminal.command(
      'GCX',
      gcxBlock({ date: '260102', time: '103000', acqRef: '01', panMask: '0604', trnType: 0x30 }),
    );
    expect(gcx.status).toBe('000');
    const g = gcx.params!;
    expect(g.get(0x804f)?.toString('latin1')).toBe('03');
    expect(g.get(0x8052)?.toString('latin1')).toBe('622848*********8903');
    expect(g.get(0x8042)?.toString('latin1')).toBe('622848*********8903=2912201');
    expect(g.get(0x8053)?.toString('latin1')).toBe('01');
    expect(g.get(0x8051)?.toString('latin1')).toMatch(/^01\d{4}$/);
    expect(g.has(0x8045)).toBe(false);
    const gtk = await terminal.command('GTK', gtkBlock({ tracks: '1010' }));
    expect(gtk.status).toBe('000');
    expect(gtk.params?.get(0x804a)?.toString('hex')).toBe('6228480012345678903f');
    expect(gtk.params?.get(0x8045)?.toString('hex')).toBe('6228480012345678903d29122010000000000f');
    expect((await terminal.command('GTK', gtkBlock({ tracks: '1010' }))).status).toBe('010');
    const gox = await terminal.command(
      'GOX',
      goxBlock({
        acqRef: '01',
        pinMethod: '1',
        keyIndex: '01',
        workingKeyEnc: tdesEncryptEcb(TMK, PIK),
        tagList: ['9F27', '5A', '57'],
      }),
    );
    expect(gox.status).toBe('000');
    expect(gox.params?.get(0x8056)?.toString('latin1')).toBe('202000');
    expect(tdesDecryptEcb(PIK, gox.params!.get(0x8057)!)).toEqual(
      pinBlockFormat0('123456', '6228480012345678903'),
    );
    // §6.8.6.3: the PAN (5A) and track 2 (57) are never in PP_EMVDATA.
    expect(gox.params?.get(0x8054)?.toString('hex')).toBe('9f270180');
    expect((await terminal.command('FCX', fcxBlock({ options: '0000' }))).status).toBe('019');
    const fcx = await terminal.command('FCX', fcxBlock({ options: '0000', arc: '00' }));
    expect(fcx.params?.get(0x8058)?.toString('latin1')).toBe('000');
    expect((await terminal.command('FCX', fcxBlock({ options: '0000', arc: '00' }))).status).toBe(
      '010',
    );
    emulator.removeCard();
  });

  it('GCX reads a contactless card only when SPE_GCXOPT is "1xxxx" (§3.7.1)', async () => {
    const { terminal } = await emulatorWithTerminal('peer-abecs-emu-ctls', {
      id: 'debit-chip',
      action: 'tap',
    });
    const gcx = (options: string) =>
      terminal.command('GCX', gcxBlock({ date: '260102', time: '103000', options, timeoutSec: 1 }));
    expect((await gcx('00000')).status).toBe('012');
    const tapped = await gcx('10000');
    expect(tapped.status).toBe('000');
    expect(tapped.params?.get(0x804f)?.toString('latin1')).toBe('06');
  });

  it('GCX needs SPE_TRNDATE and SPE_TRNTIME (019), not the optional amount or network', async () => {
    const { terminal } = await emulatorWithTerminal('peer-abecs-emu-gcx019', {
      id: 'debit-chip',
      action: 'insert',
    });
    const noDate = await terminal.command(
      'GCX',
      Buffer.from([0x00, 0x16, 0x00, 0x06, ...Buffer.from('103000')]),
    );
    expect(noDate.status).toBe('019');
    expect(
      (await terminal.command('GCX', gcxBlock({ date: '260102', time: '103000' }))).status,
    ).toBe('000');
  });

  it('works without OPN (§6.4.1); DSP never fails; 019 for CEX without SPE_CEXOPT; 011 for a bad GPN or DEX; 042 for a DES key', async () => {
    const { emulator, terminal } = await emulatorWithTerminal('peer-abecs-emu-rules');
    // PeerAbecsTerminal.open sends CAN only: no OPN before these.
    expect((await terminal.command('DSP', Buffer.from('NO OPN NEEDED'.padEnd(32)))).status).toBe(
      '000',
    );
    expect(emulator.display[0]).toBe('NO OPN NEEDED');
    // DSP never fails (§6.5.5): a length that does not match, control bytes shown as spaces.
    expect((await terminal.command('DSP', Buffer.from('032HI\tTHERE'), { raw: true })).status).toBe(
      '000',
    );
    expect(emulator.display).toEqual(['HI THERE', '']);
    expect((await terminal.command('CEX', Buffer.alloc(0))).status).toBe('019');
    const gpn = (p: Partial<Parameters<typeof gpnBlock>[0]>) =>
      terminal.command(
        'GPN',
        gpnBlock({
          keyIndex: 1,
          workingKeyEnc: tdesEncryptEcb(TMK, PIK),
          pan: '6222020200112233446',
          ...p,
        }),
        { blocking: true },
      );
    expect((await gpn({ min: 3 })).status).toBe('011');
    expect((await gpn({ min: 6, max: 5 })).status).toBe('011');
    expect((await gpn({ method: '0' })).status).toBe('042');
    expect((await terminal.command('DEX', Buffer.from('003HELLO'))).status).toBe('011');
    // GPN clears the display at the end (§3.3.11).
    expect((await gpn({})).status).toBe('000');
    expect(emulator.display).toEqual(['', '']);
  });

  it('CEX clears the tracks kept for GTK and ignores CANCEL when keys are not checked (§6.5.1); GTK cannot encrypt (042)', async () => {
    const { emulator, terminal } = await emulatorWithTerminal('peer-abecs-emu-cex');
    const swipeSoon = () => setTimeout(() => emulator.swipeCard('debit-swipe'), 100);
    swipeSoon();
    expect(
      (await terminal.command('CEX', cexBlock({ options: '010000' }))).params?.get(0x8040),
    ).toEqual(Buffer.from('90'));
    // Encrypted tracks need a data key this pad does not hold: 042, and the tracks stay.
    const encrypted = gtkBlock({
      tracks: '0010',
      method: '10',
      keyIndex: '01',
      workingKey: Buffer.alloc(16),
    });
    expect((await terminal.command('GTK', encrypted)).status).toBe('042');
    // A CEX that ends with a key: the swipe's tracks are gone, GTK has nothing to give.
    setTimeout(() => emulator.pressKey('cancel'), 100);
    expect(
      (await terminal.command('CEX', cexBlock({ options: '110000' }))).params?.get(0x8040),
    ).toEqual(Buffer.from('13'));
    expect((await terminal.command('GTK', gtkBlock({ tracks: '0010' }))).status).toBe('010');
    // Keys not checked: CANCEL does not end CEX; the swipe that follows does.
    setTimeout(() => {
      emulator.pressKey('cancel');
      swipeSoon();
    }, 50);
    expect(
      (await terminal.command('CEX', cexBlock({ options: '010000' }))).params?.get(0x8040),
    ).toEqual(Buffer.from('90'));
  });
});
