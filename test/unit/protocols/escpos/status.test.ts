import { describe, expect, it } from 'vitest';
import {
  decodeStatus,
  decodeStatusByte,
  emptyStatusFlags,
  encodeStatusByte,
  isReadyToPrint,
  isRealtimeStatusReply,
  STATUS_BITS,
  statusProblems,
} from '../../../../src-main/protocols/escpos';
import type { PrinterStatusFlag, StatusBytes } from '../../../../src-main/protocols/escpos';

const IDLE: StatusBytes = { 1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12 };

// One row per bit the reference lists: query, reply byte, flag, code, a word of each message.
const CASES: [1 | 2 | 3 | 4, number, PrinterStatusFlag, string, string, string][] = [
  [1, 0x1a, 'offline', 'PRINTER_OFFLINE', 'offline', '脱机'],
  [1, 0x32, 'waitingForRecovery', 'PRINTER_WAITING_FOR_RECOVERY', 'online', '恢复'],
  [1, 0x52, 'feedButtonPressed', 'PRINTER_FEED_BUTTON_PRESSED', 'Feed button', '走纸键'],
  [2, 0x16, 'coverOpen', 'PRINTER_COVER_OPEN', 'cover', '上盖'],
  [2, 0x1a, 'feedingByButton', 'PRINTER_FEEDING_BY_BUTTON', 'feed button', '走纸'],
  [2, 0x32, 'stoppedAtPaperEnd', 'PRINTER_STOPPED_AT_PAPER_END', 'ran out', '缺纸'],
  [2, 0x52, 'errorOccurred', 'PRINTER_ERROR', 'error', '出错'],
  [3, 0x1a, 'cutterError', 'PRINTER_CUTTER_ERROR', 'cutter', '切刀'],
  [3, 0x32, 'unrecoverableError', 'PRINTER_UNRECOVERABLE_ERROR', 'service', '故障'],
  [3, 0x52, 'autoRecoverableError', 'PRINTER_AUTO_RECOVERABLE_ERROR', 'hot', '过热'],
  [4, 0x1e, 'paperNearEnd', 'PRINTER_PAPER_NEAR_END', 'nearly', '将尽'],
  [4, 0x72, 'paperEnd', 'PRINTER_PAPER_END', 'out of paper', '缺纸'],
];

describe('DLE EOT status decoding', () => {
  it('an idle printer (0x12 to every query) has no problems and can print', () => {
    const flags = decodeStatus(IDLE);
    expect(flags).toEqual(emptyStatusFlags());
    expect(statusProblems(flags)).toEqual([]);
    expect(isReadyToPrint(flags)).toBe(true);
  });

  it.each(CASES)('DLE EOT %i reply 0x%s sets %s', (query, byte, flag, code, en, zh) => {
    expect(isRealtimeStatusReply(byte)).toBe(true);
    const flags = decodeStatus({ ...IDLE, [query]: byte });
    const set = (Object.keys(flags) as PrinterStatusFlag[]).filter((k) => flags[k]);
    expect(set).toEqual([flag]);
    const problems = statusProblems(flags);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.code).toBe(code);
    expect(problems[0]!.message).toContain(en);
    expect(problems[0]!.messageZh).toContain(zh);
  });

  it('near end alone is a warning and still prints; feed button is info', () => {
    expect(isReadyToPrint(decodeStatus({ ...IDLE, 4: 0x1e }))).toBe(true);
    expect(isReadyToPrint(decodeStatus({ ...IDLE, 1: 0x52 }))).toBe(true);
    expect(statusProblems(decodeStatus({ ...IDLE, 4: 0x1e }))[0]!.severity).toBe('warning');
  });

  it('every blocking flag stops printing', () => {
    for (const bit of STATUS_BITS.filter((b) => b.severity === 'blocking')) {
      expect(isReadyToPrint({ ...emptyStatusFlags(), [bit.flag]: true })).toBe(false);
    }
  });

  it('each bit of the two-bit fields counts on its own (paper end 0x20 or 0x40, near end 0x04 or 0x08)', () => {
    expect(decodeStatusByte(4, 0x32).paperEnd).toBe(true);
    expect(decodeStatusByte(4, 0x52).paperEnd).toBe(true);
    expect(decodeStatusByte(4, 0x16).paperNearEnd).toBe(true);
    expect(decodeStatusByte(4, 0x1a).paperNearEnd).toBe(true);
  });

  it('encodeStatusByte is the inverse of decoding for every flag', () => {
    for (const bit of STATUS_BITS) {
      const flags = { ...emptyStatusFlags(), [bit.flag]: true };
      const byte = encodeStatusByte(bit.query, flags);
      expect(isRealtimeStatusReply(byte)).toBe(true);
      expect(decodeStatusByte(bit.query, byte)[bit.flag]).toBe(true);
    }
  });

  it('tells status replies from other bytes by their fixed bits', () => {
    expect(isRealtimeStatusReply(0x12)).toBe(true);
    expect(isRealtimeStatusReply(0x00)).toBe(false);
    expect(isRealtimeStatusReply(0x13)).toBe(false);
    expect(isRealtimeStatusReply(0x92)).toBe(false);
  });
});
