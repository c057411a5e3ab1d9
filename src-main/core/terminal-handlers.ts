// API handlers for the terminal's work: sign-on, inquiries, slips, the log, diagnostics and the
// training panel. Each checks who is asking first; a cashier sees only their own inquiries.
import type { Bilingual, LogVerifyView, Outcome } from '../contract';
import { ApiError } from '../contract';
import { renderBalanceSlip, type BalanceSlipData } from './slip';
import { printSlip } from '../devices/printer';
import { maskWalletAccount } from '../host/wallet';
import { defaultHostSimConfig } from '../sim/host';
import { DEFAULT_CARDS } from '../sim/pinpad/training';
import { maskPan } from '../devices/pinpad';
import type { InquiryRecord } from '../store';
import type { CashierCore, CoreHandlers, Session } from './cashier-core';
import type { DeviceMethods } from './device-handlers';
import type { AdminMethod } from './admin-handlers';

type TerminalMethods = Exclude<
  keyof CoreHandlers,
  'getAppState' | 'createFirstSupervisor' | 'login' | 'logout' | DeviceMethods | AdminMethod
>;

/** Local day [from, to) as Date objects. */
function dayRange(day: string): { from: Date; to: Date } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return { from: new Date(y, m - 1, d), to: new Date(y, m - 1, d + 1) };
}

function notFound(): ApiError {
  return new ApiError('NOT_FOUND', 'No such inquiry in the log.', '日志中没有这笔查询。');
}

export function slipDataFrom(
  core: CashierCore,
  record: InquiryRecord,
  copy: 'customer' | 'merchant',
): BalanceSlipData {
  if (record.outcome !== 'approved' || record.availableFen === null) {
    throw new ApiError(
      'NOT_FOUND',
      'Only an answered inquiry with a balance has a slip.',
      '只有查询成功并返回余额的交易才能打印凭条。',
    );
  }
  return {
    merchantName: core.config.merchant.name,
    merchantId: core.config.merchant.id,
    terminalId: core.config.terminal.id,
    operatorId: record.operatorNo,
    dateTime: record.createdAt,
    accountKind: record.accountKind === 'card' ? 'bank-card' : 'payment-account',
    maskedAccount: record.maskedAccount,
    ...(record.ledgerFen !== null ? { ledgerBalance: record.ledgerFen } : {}),
    availableBalance: record.availableFen,
    ...(record.rrn ? { rrn: record.rrn } : {}),
    ...(record.stan ? { trace: record.stan } : {}),
    copy,
    reprint: record.printedCount > 0,
  };
}

export function terminalHandlers(core: CashierCore): Pick<CoreHandlers, TerminalMethods> {
  const { store, terminal, inquiries } = core;

  async function ownRecord(
    id: number,
    operator: { operatorNo: string; role: string },
  ): Promise<InquiryRecord> {
    const record = await store.transactions.get(id);
    if (!record) throw notFound();
    if (operator.role !== 'supervisor' && record.operatorNo !== operator.operatorNo)
      throw notFound();
    return record;
  }

  /** The logged-in operator, tagged with the session whose window follows the inquiry. */
  function inquiryOperator(session: Session) {
    const operator = core.requireOperator(session);
    return { id: operator.id, operatorNo: operator.operatorNo, sessionId: session.id };
  }

  function trainingPeers() {
    if (!terminal.training) {
      throw new ApiError('TRAINING_ONLY', 'Only in training mode.', '仅培训模式可用。');
    }
    return terminal.training;
  }

  return {
    signOn: async (_args, session) => {
      const operator = core.requireOperator(session);
      try {
        const result = await terminal.host.signOn(operator.operatorNo);
        core.opsLog.info('host', 'sign-on', {
          operator: operator.operatorNo,
          batch: result.batchNo,
        });
        core.refreshHostStatus(true);
        return {
          batchNo: result.batchNo,
          checkValues: result.checkValues,
          tmkCheckValue: terminal.masterKeyCheckValue(),
        };
      } catch (err) {
        core.logFailure('host', 'sign-on-failed', err);
        core.refreshHostStatus(false);
        throw err;
      }
    },

    startCardInquiry: async (_args, session) => ({
      inquiryId: inquiries.startCard(inquiryOperator(session)),
    }),

    cancelInquiry: async (args, session) => {
      const operator = core.requireOperator(session);
      const owner = inquiries.ownerOf(args.inquiryId);
      // A cashier cancels only their own inquiry; a supervisor may cancel anyone's.
      if (owner && owner.id !== operator.id && operator.role !== 'supervisor') {
        throw new ApiError(
          'FORBIDDEN',
          'Only the operator who started this inquiry, or a supervisor, may cancel it.',
          '只有发起该查询的操作员或主管可以取消。',
        );
      }
      await inquiries.cancel(args.inquiryId);
      return { ok: true };
    },

    requestWalletCode: async (args, session) => {
      core.requireOperator(session);
      const sent = await terminal.requireWallet().requestSmsCode(args.account);
      return {
        accountMasked: sent.accountMasked,
        sentToMasked: sent.sentToMasked,
        expiresInSeconds: sent.expiresInSeconds,
      };
    },

    startWalletInquiry: async (args, session) => ({
      inquiryId: inquiries.startWallet(inquiryOperator(session), args.account, args.proof),
    }),

    printSlip: async (args, session) => {
      const operator = core.requireOperator(session);
      const record = await ownRecord(args.transactionId, operator);
      if (!terminal.printer) {
        throw new ApiError('PRINTER', 'No printer is configured.', '未配置打印机，只能查看。');
      }
      const slip = renderBalanceSlip(slipDataFrom(core, record, args.copy), {
        paper: core.config.printer.paperWidthMm,
        lang: core.config.language,
      });
      try {
        const result = await printSlip(terminal.printer, slip.bytes);
        core.opsLog.info('printer', 'slip-printed', {
          transactionId: record.id,
          bytes: result.bytesSent,
          warnings: result.warnings.map((w) => w.code),
        });
        await store.transactions.markPrinted(record.id);
        core.setStatus({ printer: terminal.training ? 'training' : 'ready' });
        const warnings: Bilingual[] = result.warnings.map((w) => ({
          en: w.message,
          zh: w.messageZh,
        }));
        return { bytesSent: result.bytesSent, warnings };
      } catch (err) {
        core.logFailure('printer', 'slip-failed', err);
        core.setStatus({ printer: 'error' });
        throw err;
      }
    },

    slipPreview: async (args, session) => {
      const operator = core.requireOperator(session);
      const record = await ownRecord(args.transactionId, operator);
      const slip = renderBalanceSlip(slipDataFrom(core, record, args.copy), {
        paper: core.config.printer.paperWidthMm,
        lang: core.config.language,
      });
      return { svg: slip.svg };
    },

    searchLog: async (args, session) => {
      const operator = core.requireOperator(session);
      const operatorNo = operator.role === 'supervisor' ? args.operatorNo : operator.operatorNo;
      const page = await store.transactions.search({
        ...(args.day ? dayRange(args.day) : {}),
        ...(operatorNo ? { operatorNo } : {}),
        ...(args.outcome ? { outcome: args.outcome } : {}),
        ...(args.last4 ? { last4: args.last4 } : {}),
        ...(args.rrn ? { rrn: args.rrn } : {}),
        ...(args.cursor ? { cursor: args.cursor } : {}),
        limit: 20,
      });
      return {
        rows: page.rows.map((row) => inquiries.fromRecord(row)),
        nextCursor: page.nextCursor,
      };
    },

    verifyLog: async (_args, session) => {
      core.requireOperator(session, 'supervisor');
      const report = await store.transactions.verify();
      const view: LogVerifyView = {
        ok: report.ok,
        rows: report.rows,
        problems: report.problems.map((p) => ({ en: p.message, zh: p.messageZh })),
      };
      return view;
    },

    dailySummary: async (args, session) => {
      const operator = core.requireOperator(session);
      const summary = await store.transactions.dailySummary(args.day);
      const mine = (row: { operatorNo: string }) =>
        operator.role === 'supervisor' || row.operatorNo === operator.operatorNo;
      const byOperator = summary.byOperator.filter(mine);
      const byOutcome =
        operator.role === 'supervisor'
          ? summary.byOutcome
          : (byOperator[0]?.byOutcome ?? emptyOutcomes());
      return {
        day: summary.day,
        total: Object.values(byOutcome).reduce((a, b) => a + b, 0),
        byOutcome,
        byOperator,
      };
    },

    hostEcho: async (_args, session) => {
      core.requireOperator(session);
      try {
        const result = await terminal.host.networkTest();
        core.opsLog.info('host', 'echo', {
          latencyMs: result.latencyMs,
          code: result.responseCode,
        });
        core.refreshHostStatus(true);
        return result;
      } catch (err) {
        core.logFailure('host', 'echo-failed', err);
        core.refreshHostStatus(false);
        throw err;
      }
    },

    opsLogTail: async (args, session) => {
      core.requireOperator(session, 'supervisor');
      return { file: core.opsLog.file, lines: await core.opsLog.tail(args.lines ?? 20) };
    },

    trainingPinpad: async (args, session) => {
      core.requireOperator(session);
      const { pinpad } = trainingPeers();
      if (args.action === 'card') pinpad.presentCard(args.cardId, args.how);
      else pinpad.pressKey(args.key);
      return { ok: true };
    },

    trainingFault: async (args, session) => {
      core.requireOperator(session);
      const peers = trainingPeers();
      if (args.host === 'none') peers.host.setFaults(undefined);
      if (args.host === 'no-answer') peers.host.setFaults({ drop: true, mti: ['0200'] });
      if (args.host === 'bad-mac') peers.host.setFaults({ badMac: true, mti: ['0200'] });
      const printer = peers.printer;
      if (args.printer === 'none') {
        printer.loadPaper();
        printer.setCoverOpen(false);
        printer.setOffline(false);
      }
      if (args.printer === 'paper-out') printer.runOutOfPaper();
      if (args.printer === 'paper-out-mid-slip') printer.runOutOfPaperAfter(200);
      if (args.printer === 'cover-open') printer.setCoverOpen(true);
      if (args.printer === 'offline') printer.setOffline(true);
      return { ok: true };
    },

    trainingInfo: async (_args, session) => {
      core.requireOperator(session);
      const peers = trainingPeers();
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
        smsCodes: peers.smsCodes.slice(0, 5).map((sent) => ({
          accountMasked: maskWalletAccount(sent.account),
          code: sent.code,
          at: new Date(sent.at).toISOString(),
        })),
        walletAccounts: peers.wallet.accounts().map((a) => ({
          account: a.phone,
          password: a.paymentPassword,
          note: a.frozen ? { en: 'frozen', zh: '已冻结' } : { en: '', zh: '' },
        })),
      };
    },
  };
}

function emptyOutcomes(): Record<Outcome, number> {
  return { unknown: 0, approved: 0, declined: 0, failed: 0, cancelled: 0 };
}
