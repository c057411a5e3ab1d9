// Handlers of the log channel: search, daily summary, export, and the integrity check. A cashier
// sees and exports only their own inquiries; the store audits a supervisor's export itself.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatLocalDate } from '../../common';
import {
  ApiError,
  type logChannel,
  type LogVerifyProgress,
  type LogVerifyView,
  type Outcome,
} from '../../contract';
import type { Store } from '../../store';
import { csvHeader, csvRows } from '../../store/csv';
import { viewOfRecord } from '../inquiry';
import type { TerminalPort } from '../terminal/service';
import type { ChannelHandlers } from './types';

export interface LogDeps {
  transactions: Store['transactions'];
  /** For the names beside operator numbers. */
  operators: Pick<Store['operators'], 'list'>;
  audit: Store['audit'];
  exportCsv: Store['exportCsv'];
  terminals: Pick<TerminalPort, 'config'>;
  /** Tells one session how far its verifyLog has got (the `verify` event). */
  verifyProgress?: (sessionId: number, progress: LogVerifyProgress) => void;
}

/** Local day [from, to) of this PC. */
function dayRange(day: string): { from: Date; to: Date } {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return { from: new Date(y, m - 1, d), to: new Date(y, m - 1, d + 1) };
}

function emptyOutcomes(): Record<Outcome, number> {
  return { unknown: 0, approved: 0, declined: 0, failed: 0, cancelled: 0 };
}

export function logHandlers(deps: LogDeps): ChannelHandlers<typeof logChannel> {
  const { transactions, audit } = deps;

  async function operatorNames(): Promise<Record<string, string>> {
    return Object.fromEntries((await deps.operators.list()).map((o) => [o.operatorNo, o.name]));
  }

  return {
    searchLog: async (args, { operator }) => {
      const operatorNo = operator.role === 'supervisor' ? args.operatorNo : operator.operatorNo;
      const page = await transactions.search({
        ...(args.day ? dayRange(args.day) : {}),
        ...(operatorNo ? { operatorNo } : {}),
        ...(args.outcome ? { outcome: args.outcome } : {}),
        ...(args.last4 ? { last4: args.last4 } : {}),
        ...(args.rrn ? { rrn: args.rrn } : {}),
        ...(args.cursor ? { cursor: args.cursor } : {}),
        limit: 20,
      });
      const config = deps.terminals.config();
      const settings = {
        servicePhone: config.servicePhone,
        phones: { bank: config.bankPhone, wallet: config.walletPhone },
        training: config.mode === 'training',
      };
      const names = await operatorNames();
      return {
        rows: page.rows.map((row) => viewOfRecord(row, settings)),
        nextCursor: page.nextCursor,
        operatorNames: Object.fromEntries(
          page.rows
            .filter((r) => names[r.operatorNo])
            .map((r) => [r.operatorNo, names[r.operatorNo]!]),
        ),
      };
    },

    verifyLog: async (_args, { session }) => {
      const report = await transactions.verify({
        onProgress: (progress) => deps.verifyProgress?.(session.id, progress),
      });
      const view: LogVerifyView = {
        ok: report.ok,
        rows: report.rows,
        problems: report.problems.map((p) => ({ en: p.message, zh: p.messageZh })),
      };
      return view;
    },

    dailySummary: async (args, { operator }) => {
      const summary = await transactions.dailySummary(args.day);
      const mine = (row: { operatorNo: string }) =>
        operator.role === 'supervisor' || row.operatorNo === operator.operatorNo;
      const names = await operatorNames();
      const byOperator = summary.byOperator
        .filter(mine)
        .map((row) => ({ ...row, name: names[row.operatorNo] ?? null }));
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

    exportLog: async (args, { operator }) => {
      const range = args.day
        ? dayRange(args.day)
        : args.fromDay || args.toDay
          ? {
              ...(args.fromDay ? { from: dayRange(args.fromDay).from } : {}),
              ...(args.toDay ? { to: dayRange(args.toDay).to } : {}),
            }
          : {
              ...(args.from ? { from: new Date(args.from) } : {}),
              ...(args.to ? { to: new Date(args.to) } : {}),
            };
      if (range.from && range.to && range.from >= range.to) {
        throw new ApiError('BAD_DATE_RANGE');
      }
      const label =
        args.day ??
        (args.fromDay || args.toDay
          ? `${args.fromDay ?? 'start'}_${args.toDay ?? formatLocalDate(new Date())}`
          : args.from
            ? formatLocalDate(new Date(args.from))
            : formatLocalDate(new Date()));
      const language = args.language;
      const fileName = `cashier-log-${label}.csv`;
      if (operator.role === 'supervisor') {
        // The store writes the file (and audits the export); the screen gets its text.
        const dir = await mkdtemp(path.join(os.tmpdir(), 'cashier-export-'));
        try {
          const out = path.join(dir, fileName);
          const written = await deps.exportCsv({
            out,
            ...range,
            operatorId: operator.id,
            operatorNo: operator.operatorNo,
            source: 'ui',
            ...(language ? { language } : {}),
          });
          return { fileName, csv: await readFile(out, 'utf8'), rows: written.rows };
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
      // A cashier exports only their own inquiries, in the same format.
      const offset = -new Date().getTimezoneOffset();
      const pages: string[] = [];
      let rows = 0;
      let cursor: string | undefined;
      do {
        const page = await transactions.search({
          ...range,
          operatorNo: operator.operatorNo,
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        rows += page.rows.length;
        pages.push(csvRows([...page.rows].reverse(), offset, language));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      await audit.record({
        kind: 'export',
        operatorId: operator.id,
        operatorNo: operator.operatorNo,
        detail: {
          file: fileName,
          rows,
          source: 'ui',
          own: true,
          from: range.from?.toISOString() ?? null,
          to: range.to?.toISOString() ?? null,
        },
      });
      // Pages come newest first; oldest first reads like the supervisor's export.
      return { fileName, csv: csvHeader(language) + pages.reverse().join(''), rows };
    },
  };
}
