// Handlers of the training channel: the simulated customer at the PIN pad, rehearsed faults, and
// the public test data. Each is refused outside training mode.
import { ApiError, type trainingChannel } from '../../contract';
import { maskPan } from '../../common';
import { maskWalletAccount } from '../../host/wallet';
import { defaultHostSimConfig } from '../../sim/host';
import { DEFAULT_CARDS } from '../../sim/pinpad/training';
import { PAPER_LOADED } from '../../sim/printer';
import type { TrainingPeers } from '../terminal/types';
import type { TerminalPort } from '../terminal/service';
import type { ChannelHandlers } from './types';

export interface TrainingDeps {
  terminals: Pick<TerminalPort, 'current'>;
}

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
      const { host, printer } = peers();
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
            label: card.label ?? '',
            pin: account?.pin ?? '',
            status: account?.status ?? 'unknown',
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
