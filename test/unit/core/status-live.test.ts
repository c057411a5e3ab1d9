// The status bar, live and specific: the printer's own problem (缺纸, 盖子打开) shows without a
// print and goes away when it is fixed, read by the printer watch from the emulator over TCP;
// armed training faults show; the host after a failure it did or did not answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusSnapshot } from '../../../src-main/contract';
import { hostAfterInquiry } from '../../../src-main/core/status';
import { openTrainingConsole, type TrainingConsole } from './support/training-console';

describe('the host after an inquiry', () => {
  it('is online with its problem after a bad MAC or a malformed answer', () => {
    expect(hostAfterInquiry('HOST_BAD_MAC', null)).toEqual({
      online: true,
      problem: 'HOST_BAD_MAC',
    });
    expect(hostAfterInquiry('HOST_BAD_FRAME', null)).toEqual({
      online: true,
      problem: 'HOST_BAD_FRAME',
    });
  });

  it('is offline after it did not answer or could not be reached', () => {
    for (const code of ['HOST_TIMEOUT', 'HOST_CONNECT_FAILED', 'HOST_CONNECTION_CLOSED']) {
      expect(hostAfterInquiry(code, null)).toEqual({ online: false, problem: code });
    }
  });

  it('is online and clear after an answer, and says nothing after a device failure', () => {
    expect(hostAfterInquiry(null, '00')).toEqual({ online: true, problem: null });
    expect(hostAfterInquiry('NOT_CONNECTED', null)).toEqual({});
  });
});

describe('the printer and training faults in the status bar', () => {
  let tc: TrainingConsole;

  beforeAll(async () => {
    tc = await openTrainingConsole('status');
  });
  afterAll(async () => {
    await tc?.close();
  });

  async function statusBecomes(check: (s: StatusSnapshot) => boolean): Promise<StatusSnapshot> {
    const deadline = Date.now() + 8_000;
    for (;;) {
      const now = tc.core.status.snapshot();
      if (check(now)) return now;
      if (Date.now() > deadline) throw new Error(`status never matched: ${JSON.stringify(now)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('names the armed fault and the printer out of paper, without a print', async () => {
    const printed = tc.peers().printer.lines.length;
    await tc.call(tc.supervisor, 'trainingFault', { printer: 'paper-out' });
    const now = await statusBecomes((s) => s.printerProblem === 'PRINTER_PAPER_END');
    expect(now).toMatchObject({ printer: 'error', trainingFaults: ['printer-paper-out'] });
    expect(tc.peers().printer.lines.length).toBe(printed);
  });

  it('shows the printer ready again after paper is loaded, without a print', async () => {
    const printed = tc.peers().printer.lines.length;
    await tc.call(tc.supervisor, 'trainingFault', { printer: 'none' });
    const now = await statusBecomes((s) => s.printer === 'training' && !s.printerProblem);
    expect(now.trainingFaults).toEqual([]);
    expect(tc.peers().printer.lines.length).toBe(printed);
  });

  it('notices by itself a cover opened and closed at the printer (no API call)', async () => {
    tc.peers().printer.faults.update({ coverOpen: true });
    await statusBecomes((s) => s.printerProblem === 'PRINTER_COVER_OPEN');
    tc.peers().printer.faults.update({ coverOpen: false });
    await statusBecomes((s) => s.printer === 'training' && s.printerProblem === null);
  });

  it('names an armed host fault until it is cleared', async () => {
    await tc.call(tc.supervisor, 'trainingFault', { host: 'no-answer' });
    expect(tc.core.status.snapshot().trainingFaults).toEqual(['host-timeout']);
    await tc.call(tc.supervisor, 'trainingFault', { host: 'none' });
    expect(tc.core.status.snapshot().trainingFaults).toEqual([]);
  });
});
