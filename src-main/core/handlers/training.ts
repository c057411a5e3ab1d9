// Handlers of the training channel: the simulated customer at the PIN pad, rehearsed faults, and
// the public test data. Each is refused outside training mode.
import { ApiError, type Bilingual, type trainingChannel } from '../../contract';
import { maskPan } from '../../common';
import { maskWalletAccount } from '../../host/wallet';
import { defaultHostSimConfig } from '../../sim/host';
import { DEFAULT_CARDS } from '../../sim/pinpad/training';
import { ABECS_EMULATOR_INFO, CN_EPP_EMULATOR_STATUS } from '../../sim/pinpad';
import type { StatusBoard } from '../status';
import { armedTrainingFaults } from '../training-faults';
import { PAPER_LOADED, PRINTER_EMULATOR_IDENTITY } from '../../sim/printer';
import type { TrainingPeers } from '../terminal/types';
import type { TerminalPort } from '../terminal/service';
import type { ChannelHandlers } from './types';

/** The card in the words of the shop (the pad's own label is ASCII for its display). */
export function trainingCardLabel(accountType: string | undefined): Bilingual {
  return accountType === '30'
    ? { zh: '银联信用卡', en: 'UnionPay credit card' }
    : { zh: '银联借记卡', en: 'UnionPay debit card' };
}

const CARD_STATUS: Record<string, Bilingual> = {
  active: { zh: '', en: '' },
  lost: { zh: '已挂失', en: 'reported lost' },
  stolen: { zh: '已报失窃', en: 'reported stolen' },
  expired: { zh: '已过期', en: 'expired' },
  restricted: { zh: '受限', en: 'restricted' },
};
const UNKNOWN_STATUS: Bilingual = { zh: '主机无此卡', en: 'not on the host' };

export interface TrainingDeps {
  terminals: Pick<TerminalPort, 'current'>;
  /** The status bar shows the armed faults. */
  status: Pick<StatusBoard, 'set'>;
}

/** The serial numbers the simulated pads report: their own, and the one that replaces them. */
const PAD_SERIALS = {
  abecs: { original: ABECS_EMULATOR_INFO.serialNumber, replaced: 'EMU-REPLACED-02' },
  'cn-epp': { original: CN_EPP_EMULATOR_STATUS.serialNumber, replaced: 'EPP-REPLACED-02' },
} as const;

/** What the simulated printer answers to GS I: its own identity, another printer's, none. */
const PRINTER_IDENTITIES = {
  original: PRINTER_EMULATOR_IDENTITY,
  replaced: { ...PRINTER_EMULATOR_IDENTITY, serialNumber: 'PRN-REPLACED-02' },
  silent: null,
} as const;

export function trainingHandlers(deps: TrainingDeps): ChannelHandlers<typeof trainingChannel> {
  function peers(): TrainingPeers {
    const { training } = deps.terminals.current().terminal;
    if (!training) {
      throw new ApiError('TRAINING_ONLY');
    }
    return training;
  }

  return {
    trainingPinpad: async (args) => {
      const { pinpad } = peers();
      if (args.action === 'card') pinpad.presentCard(args.cardId, args.how);
      else pinpad.pressKey(args.key);
      return { ok: true };
    },

    trainingFault: async (args) => {
      const training = peers();
      const { host, printer } = training;
      if (args.host === 'none') host.faults.clear();
      if (args.host === 'no-answer') host.faults.set({ drop: true, mti: ['0200'] });
      if (args.host === 'bad-mac') host.faults.set({ badMac: true, mti: ['0200'] });
      if (args.printer === 'none') {
        printer.faults.update({ ...PAPER_LOADED, coverOpen: false, offline: false });
      }
      if (args.printer === 'paper-out') printer.faults.update({ paperEnd: true });
      if (args.printer === 'paper-out-mid-slip') printer.faults.update({ paperEndAfterBytes: 200 });
      if (args.printer === 'cover-open') printer.faults.update({ coverOpen: true });
      if (args.printer === 'offline') printer.faults.update({ offline: true });
      if (args.pinpad) {
        // Pulled and plugged in again: the driver reads who answers (trusted-device check).
        await training.pinpad.replace(PAD_SERIALS[training.pinpad.protocol][args.pinpad]);
      }
      if (args.printerIdentity) {
        // Another printer on the cable (or the first one back): the watch asks who it is.
        printer.setIdentity(PRINTER_IDENTITIES[args.printerIdentity]);
        await deps.terminals.current().printerWatch?.identify();
      }
      deps.status.set({ trainingFaults: armedTrainingFaults(training) });
      // The printer's state shows at once, not at the next reading.
      if (args.printer) void deps.terminals.current().printerWatch?.poll();
      return { ok: true };
    },

    trainingInfo: async () => {
      const training = peers();
      const hostCards = defaultHostSimConfig().cards;
      return {
        cards: DEFAULT_CARDS.map((card) => {
          const account = hostCards.find((c) => c.pan === card.pan);
          return {
            id: card.id,
            maskedPan: maskPan(card.pan),
            kinds: card.kinds,
            label: trainingCardLabel(account?.accountType),
            pin: account?.pin ?? '',
            status: account?.status ?? 'unknown',
            note: CARD_STATUS[account?.status ?? ''] ?? UNKNOWN_STATUS,
          };
        }),
        smsCodes: training.smsCodes.slice(0, 5).map((sent) => ({
          accountMasked: maskWalletAccount(sent.account),
          code: sent.code,
          at: new Date(sent.at).toISOString(),
        })),
        walletAccounts: training.wallet.accounts().map((a) => ({
          account: a.phone,
          password: a.paymentPassword,
          note: a.frozen ? { en: 'frozen', zh: '已冻结' } : { en: '', zh: '' },
        })),
      };
    },
  };
}
