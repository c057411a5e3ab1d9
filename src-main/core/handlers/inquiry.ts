// Handlers of the inquiry channel: start and cancel inquiries, the wallet's SMS code, and the
// slip of a logged inquiry (printed or previewed). A cashier reaches only their own inquiries.
import { ApiError, type Bilingual, type inquiryChannel } from '../../contract';
import { printSlip } from '../../devices/printer';
import type { InquiryRecord, Store } from '../../store';
import type { Caller } from '../access';
import type { CashierConfig } from '../config';
import { logFailure, type OpsLog } from '../ops-log';
import { renderBalanceSlip, type BalanceSlipData } from '../slip';
import type { StatusBoard } from '../status';
import type { TerminalPort } from '../terminal/service';
import type { ChannelHandlers } from './types';

export interface InquiryHandlerDeps {
  terminals: TerminalPort;
  transactions: Store['transactions'];
  opsLog: OpsLog;
  status: Pick<StatusBoard, 'set'>;
}

function notFound(): ApiError {
  return new ApiError('INQUIRY_NOT_FOUND');
}

export function slipDataFrom(
  config: CashierConfig,
  record: InquiryRecord,
  copy: 'customer' | 'merchant',
): BalanceSlipData {
  if (record.outcome !== 'approved' || record.availableFen === null) {
    throw new ApiError('NO_SLIP');
  }
  return {
    merchantName: config.merchant.name,
    merchantId: config.merchant.id,
    terminalId: config.terminal.id,
    operatorId: record.operatorNo,
    dateTime: record.createdAt,
    accountKind: record.accountKind === 'card' ? 'bank-card' : 'payment-account',
    maskedAccount: record.maskedAccount,
    ...(record.ledgerFen !== null ? { ledgerBalance: record.ledgerFen } : {}),
    availableBalance: record.availableFen,
    ...(record.rrn ? { rrn: record.rrn } : {}),
    ...(record.stan ? { trace: record.stan } : {}),
    copy,
    // Only a slip printed before makes this one a reprint: a first print from the log is not.
    reprint: record.printedCount > 0,
    training: record.training,
  };
}

export function inquiryHandlers(deps: InquiryHandlerDeps): ChannelHandlers<typeof inquiryChannel> {
  const { terminals, transactions, opsLog, status } = deps;

  /** A logged inquiry the caller may see: a supervisor any, a cashier only their own. */
  async function ownRecord(id: number, { operator }: Caller<'operator'>): Promise<InquiryRecord> {
    const record = await transactions.get(id);
    if (!record) throw notFound();
    if (operator.role !== 'supervisor' && record.operatorNo !== operator.operatorNo)
      throw notFound();
    return record;
  }

  /** The logged-in operator, tagged with the session whose window follows the inquiry. */
  function inquiryOperator({ session, operator }: Caller<'operator'>) {
    return { id: operator.id, operatorNo: operator.operatorNo, sessionId: session.id };
  }

  function renderSlip(record: InquiryRecord, copy: 'customer' | 'merchant') {
    const config = terminals.config();
    return renderBalanceSlip(slipDataFrom(config, record, copy), {
      paper: config.printer.paperWidthMm,
      lang: config.language,
    });
  }

  return {
    startCardInquiry: async (_args, caller) => ({
      inquiryId: terminals.current().inquiries.startCard(inquiryOperator(caller)),
    }),

    retryCardPin: async (args, caller) => ({
      inquiryId: terminals.current().inquiries.retryPin(args.inquiryId, inquiryOperator(caller)),
    }),

    cancelInquiry: async (args, { operator }) => {
      const { inquiries } = terminals.current();
      const owner = inquiries.ownerOf(args.inquiryId);
      // A cashier cancels only their own inquiry; a supervisor may cancel anyone's.
      if (owner && owner.id !== operator.id && operator.role !== 'supervisor') {
        throw new ApiError('CANCEL_FORBIDDEN');
      }
      await inquiries.cancel(args.inquiryId);
      return { ok: true };
    },

    requestWalletCode: async (args) => {
      const sent = await terminals.current().terminal.requireWallet().requestSmsCode(args.account);
      return {
        accountMasked: sent.accountMasked,
        sentToMasked: sent.sentToMasked,
        expiresInSeconds: sent.expiresInSeconds,
        resendAfterSeconds: sent.resendAfterSeconds,
      };
    },

    startWalletInquiry: async (args, caller) => ({
      inquiryId: terminals
        .current()
        .inquiries.startWallet(inquiryOperator(caller), args.account, args.proof),
    }),

    printSlip: async (args, caller) => {
      const record = await ownRecord(args.transactionId, caller);
      const open = terminals.current();
      const { terminal } = open;
      if (!terminal.printer) {
        throw new ApiError('NO_PRINTER_VIEW_ONLY');
      }
      // Not on a printer nobody approved: who it is was read at open or after its replug (just
      // opened and not read yet: read it now). The balance stays on screen meanwhile.
      if (open.printerTrust?.view().state === 'unknown') await open.printerWatch?.identify();
      open.printerTrust?.assertTrusted();
      const slip = renderSlip(record, args.copy);
      try {
        const result = await printSlip(terminal.printer, slip.bytes);
        opsLog.info('printer', 'slip-printed', {
          transactionId: record.id,
          bytes: result.bytesSent,
          warnings: result.warnings.map((w) => w.code),
        });
        await transactions.markPrinted(record.id);
        status.set({ printer: terminal.training ? 'training' : 'ready' });
        const warnings: Bilingual[] = result.warnings.map((w) => ({
          en: w.message,
          zh: w.messageZh,
        }));
        return { bytesSent: result.bytesSent, warnings };
      } catch (err) {
        logFailure(opsLog, 'printer', 'slip-failed', err);
        status.set({ printer: 'error' });
        throw err;
      }
    },

    slipPreview: async (args, caller) => {
      const record = await ownRecord(args.transactionId, caller);
      return { svg: renderSlip(record, args.copy).svg };
    },
  };
}
