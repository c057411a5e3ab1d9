// Handlers of the audit channel: the audit trail for supervisors, searched by operator, kind and
// local days, and exported as CSV in the screen's language (the export is audited too).
import { formatLocalDate, formatLocalDateTime } from '../../common';
import { ApiError, type AuditEntryView, type auditChannel } from '../../contract';
import {
  AUDIT_KINDS,
  type AuditEntry,
  type AuditKind,
  type AuditQuery,
  type Store,
} from '../../store';
import { CSV_BOM, csvCell } from '../../store/csv';
import { AUDIT_KIND_WORDS, auditText } from '../audit-words';
import type { ChannelHandlers } from './types';

export interface AuditDeps {
  audit: Store['audit'];
  operators: Pick<Store['operators'], 'list'>;
}

const PAGE = 50;

/** Local days [fromDay, toDay] as [from, to) instants of this PC. */
function dayBounds(args: { fromDay?: string | undefined; toDay?: string | undefined }) {
  const local = (day: string, plus: number) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d + plus);
  };
  return {
    ...(args.fromDay ? { from: local(args.fromDay, 0) } : {}),
    ...(args.toDay ? { to: local(args.toDay, 1) } : {}),
  };
}

function queryOf(args: {
  operatorNo?: string | undefined;
  fromDay?: string | undefined;
  toDay?: string | undefined;
  kind?: string | undefined;
}): AuditQuery {
  if (args.fromDay && args.toDay && args.fromDay > args.toDay) throw new ApiError('BAD_DATE_RANGE');
  return {
    ...dayBounds(args),
    ...(args.operatorNo ? { operatorNo: args.operatorNo } : {}),
    ...(args.kind ? { kind: args.kind as AuditKind } : {}),
  };
}

export function auditHandlers(deps: AuditDeps): ChannelHandlers<typeof auditChannel> {
  const { audit } = deps;

  interface Names {
    byNo: Map<string, string>;
    noById: Map<number, string>;
  }

  async function names(): Promise<Names> {
    const list = await deps.operators.list();
    return {
      byNo: new Map(list.map((o) => [o.operatorNo, o.name])),
      noById: new Map(list.map((o) => [o.id, o.operatorNo])),
    };
  }

  /** Who acted: the number the entry kept, else the one of its operator id (older kinds). */
  function actor(entry: AuditEntry, n: Names): { no: string | null; name: string | null } {
    const no =
      entry.operatorNo ??
      (entry.operatorId !== null ? (n.noById.get(entry.operatorId) ?? null) : null);
    return { no, name: no ? (n.byNo.get(no) ?? null) : null };
  }

  function view(entry: AuditEntry, n: Names): AuditEntryView {
    const who = actor(entry, n);
    return {
      id: entry.id,
      at: entry.at,
      kind: entry.kind,
      operatorNo: who.no,
      operatorName: who.name,
      text: auditText(entry),
    };
  }

  return {
    searchAudit: async (args) => {
      const offset = args.offset ?? 0;
      const rows = await audit.list({ ...queryOf(args), limit: PAGE + 1, offset });
      const n = await names();
      return {
        entries: rows.slice(0, PAGE).map((e) => view(e, n)),
        nextOffset: rows.length > PAGE ? offset + PAGE : null,
      };
    },

    // In the store's order (logins first), each in the words the list and the CSV use.
    listAuditKinds: async () =>
      AUDIT_KINDS.map((kind) => ({ kind, text: AUDIT_KIND_WORDS[kind] ?? { en: kind, zh: kind } })),

    exportAudit: async (args, { operator }) => {
      const zh = args.language === 'zh-CN';
      const n = await names();
      const header = zh
        ? ['编号', '时间', '类型', '操作员', '姓名', '内容']
        : ['ID', 'Time', 'Kind', 'Operator', 'Name', 'What happened'];
      const lines = [`${CSV_BOM}${header.map(csvCell).join(',')}\r\n`];
      const query = queryOf(args);
      const rows = await audit.scan(query, (entries) => {
        for (const e of entries) {
          const kind = AUDIT_KIND_WORDS[e.kind] ?? { en: e.kind, zh: e.kind };
          const text = auditText(e);
          const who = actor(e, n);
          const cells = [
            String(e.id),
            formatLocalDateTime(e.at),
            zh ? kind.zh : kind.en,
            who.no ?? '',
            who.name ?? '',
            zh ? text.zh : text.en,
          ];
          lines.push(`${cells.map(csvCell).join(',')}\r\n`);
        }
      });
      const label = `${args.fromDay ?? 'start'}_${args.toDay ?? formatLocalDate(new Date())}`;
      await audit.record({
        kind: 'export',
        operatorId: operator.id,
        operatorNo: operator.operatorNo,
        detail: {
          what: 'audit',
          rows,
          source: 'ui',
          from: query.from instanceof Date ? query.from.toISOString() : null,
          to: query.to instanceof Date ? query.to.toISOString() : null,
        },
      });
      return { fileName: `cashier-audit-${label}.csv`, csv: lines.join(''), rows };
    },
  };
}
