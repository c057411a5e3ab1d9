// Trusted devices: the identity of each PIN pad (and printer) a supervisor approved, newest last,
// and the models a supervisor allows (for example the PCI PTS approved ones). Rows are never
// updated: an approval is a new row, so the table is also the history of what was trusted.
// Approvals and refusals go to the audit trail in the same transaction.
import { appendAudit } from './audit';
import { badInput } from './errors';
import type { SqliteDb } from './sqlite';

export type TrustedDeviceKind = 'pinpad' | 'printer';

/** Who a device says it is (PIN pad: its info command; printer: GS I). */
export interface DeviceIdentity {
  maker: string;
  model: string;
  serialNumber: string;
  firmware: string;
  /** A pad that holds keys: the check value of its terminal master key. */
  keyCheckValue?: string | null;
}

export interface TrustedDevice {
  id: number;
  kind: TrustedDeviceKind;
  /** Training and live mode keep their own (the training pad is the simulator). */
  training: boolean;
  identity: DeviceIdentity;
  /** ISO 8601, UTC. */
  approvedAt: string;
  approvedBy: string | null;
  /** 'assignment', 'approval' or 'first-use'. */
  how: string;
}

export interface ApprovedModel {
  id: number;
  kind: TrustedDeviceKind;
  maker: string;
  model: string;
  note: string;
  addedAt: string;
  addedBy: string | null;
}

interface Actor {
  operatorId: number | null;
  operatorNo: string | null;
}

export interface TrustedDevicesApi {
  /** The identity trusted now for this kind and mode, if any. */
  current(kind: TrustedDeviceKind, training: boolean): Promise<TrustedDevice | undefined>;
  /**
   * Trusts `identity` from now on, and audits it (`device-approved`) with the identity trusted
   * before, in one transaction.
   */
  trust(input: {
    kind: TrustedDeviceKind;
    training: boolean;
    identity: DeviceIdentity;
    how: 'assignment' | 'approval' | 'first-use';
    by: Actor;
  }): Promise<TrustedDevice>;
  /** Audits a refused device (`device-refused`) with both identities; trusts nothing. */
  refuse(input: {
    kind: TrustedDeviceKind;
    training: boolean;
    trusted: DeviceIdentity | null;
    seen: DeviceIdentity;
    by: Actor;
  }): Promise<void>;
  models(kind: TrustedDeviceKind): Promise<ApprovedModel[]>;
  addModel(input: {
    kind: TrustedDeviceKind;
    maker: string;
    model: string;
    note?: string;
    by: Actor;
  }): Promise<ApprovedModel>;
  removeModel(id: number, by: Actor): Promise<void>;
}

interface TrustedRow {
  id: number;
  kind: TrustedDeviceKind;
  training: number;
  maker: string;
  model: string;
  serial_number: string;
  firmware: string;
  key_check: string | null;
  approved_at: number;
  approved_by: string | null;
  how: string;
}

interface ModelRow {
  id: number;
  kind: TrustedDeviceKind;
  maker: string;
  model: string;
  note: string;
  added_at: number;
  added_by: string | null;
}

function deviceOf(row: TrustedRow): TrustedDevice {
  return {
    id: row.id,
    kind: row.kind,
    training: row.training !== 0,
    identity: {
      maker: row.maker,
      model: row.model,
      serialNumber: row.serial_number,
      firmware: row.firmware,
      keyCheckValue: row.key_check,
    },
    approvedAt: new Date(row.approved_at).toISOString(),
    approvedBy: row.approved_by,
    how: row.how,
  };
}

function modelOf(row: ModelRow): ApprovedModel {
  return {
    id: row.id,
    kind: row.kind,
    maker: row.maker,
    model: row.model,
    note: row.note,
    addedAt: new Date(row.added_at).toISOString(),
    addedBy: row.added_by,
  };
}

const TRUSTED_COLUMNS =
  'id, kind, training, maker, model, serial_number, firmware, key_check, approved_at, approved_by, how';

function checkedText(value: string, what: string, whatZh: string): string {
  const text = value.trim();
  if (!text || text.length > 64) throw badInput(what, whatZh);
  return text;
}

export function createTrustedDevicesApi(db: SqliteDb, now: () => Date): TrustedDevicesApi {
  return {
    async current(kind, training) {
      const row = await db.get<TrustedRow>(
        `SELECT ${TRUSTED_COLUMNS} FROM trusted_devices WHERE kind = ? AND training = ?
         ORDER BY id DESC LIMIT 1`,
        [kind, training ? 1 : 0],
      );
      return row ? deviceOf(row) : undefined;
    },

    trust({ kind, training, identity, how, by }) {
      return db.transaction(async (conn) => {
        const at = now().getTime();
        const before = await conn.get<TrustedRow>(
          `SELECT ${TRUSTED_COLUMNS} FROM trusted_devices WHERE kind = ? AND training = ?
           ORDER BY id DESC LIMIT 1`,
          [kind, training ? 1 : 0],
        );
        const result = await conn.run(
          `INSERT INTO trusted_devices
             (kind, training, maker, model, serial_number, firmware, key_check, approved_at, approved_by, how)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            kind,
            training ? 1 : 0,
            identity.maker,
            identity.model,
            identity.serialNumber,
            identity.firmware,
            identity.keyCheckValue ?? null,
            at,
            by.operatorNo,
            how,
          ],
        );
        await appendAudit(
          conn,
          {
            kind: 'device-approved',
            operatorId: by.operatorId,
            ...(by.operatorNo ? { operatorNo: by.operatorNo } : {}),
            detail: {
              device: kind,
              training,
              how,
              before: before ? deviceOf(before).identity : null,
              after: identity,
            },
          },
          at,
        );
        const row = await conn.get<TrustedRow>(
          `SELECT ${TRUSTED_COLUMNS} FROM trusted_devices WHERE id = ?`,
          [result.lastID],
        );
        return deviceOf(row!);
      });
    },

    refuse({ kind, training, trusted, seen, by }) {
      return db.transaction((conn) =>
        appendAudit(
          conn,
          {
            kind: 'device-refused',
            operatorId: by.operatorId,
            ...(by.operatorNo ? { operatorNo: by.operatorNo } : {}),
            detail: { device: kind, training, trusted, seen },
          },
          now().getTime(),
        ),
      );
    },

    async models(kind) {
      const rows = await db.all<ModelRow>(
        'SELECT id, kind, maker, model, note, added_at, added_by FROM approved_models WHERE kind = ? ORDER BY maker, model',
        [kind],
      );
      return rows.map(modelOf);
    },

    addModel({ kind, maker, model, note, by }) {
      const entry = {
        maker: checkedText(maker, 'maker', '厂商'),
        model: checkedText(model, 'model', '型号'),
        note: (note ?? '').trim().slice(0, 80),
      };
      return db.transaction(async (conn) => {
        const at = now().getTime();
        await conn.run(
          `INSERT INTO approved_models (kind, maker, model, note, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT(kind, maker, model) DO UPDATE SET note = excluded.note`,
          [kind, entry.maker, entry.model, entry.note, at, by.operatorNo],
        );
        await appendAudit(
          conn,
          {
            kind: 'config-change',
            operatorId: by.operatorId,
            ...(by.operatorNo ? { operatorNo: by.operatorNo } : {}),
            detail: { approvedModels: 'added', device: kind, ...entry, source: 'ui' },
          },
          at,
        );
        const row = await conn.get<ModelRow>(
          'SELECT id, kind, maker, model, note, added_at, added_by FROM approved_models WHERE kind = ? AND maker = ? AND model = ?',
          [kind, entry.maker, entry.model],
        );
        return modelOf(row!);
      });
    },

    removeModel(id, by) {
      return db.transaction(async (conn) => {
        const row = await conn.get<ModelRow>(
          'SELECT id, kind, maker, model, note, added_at, added_by FROM approved_models WHERE id = ?',
          [id],
        );
        if (!row) return;
        await conn.run('DELETE FROM approved_models WHERE id = ?', [id]);
        await appendAudit(
          conn,
          {
            kind: 'config-change',
            operatorId: by.operatorId,
            ...(by.operatorNo ? { operatorNo: by.operatorNo } : {}),
            detail: {
              approvedModels: 'removed',
              device: row.kind,
              maker: row.maker,
              model: row.model,
              source: 'ui',
            },
          },
          now().getTime(),
        );
      });
    },
  };
}
